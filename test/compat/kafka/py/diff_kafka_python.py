"""kafka-python 2.0.2 (python3-kafka), one scenario for the differential suite (the same run
against Junction and librdkafka's mock cluster): KafkaProducer with keys and timestamps (record
metadata), a KafkaConsumer in a group (subscribe, commit, committed), beginning/end offsets,
offsets_for_times, and the API versions kafka-python settled on.
Usage: diff_kafka_python.py BOOTSTRAP TOPIC GROUP PARTITIONS. Prints one JSON document."""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, group, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
BASE_TS = 1_700_000_000_000
N = 10
out = {}

producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all')
out['api_version'] = list(producer.config['api_version'])
futures = [producer.send(topic, key=b'k%d' % (i % 3), value=b'v%d' % i, timestamp_ms=BASE_TS + i * 1000)
           for i in range(N)]
producer.flush()
out['sent'] = [[m.partition, m.offset, m.timestamp] for m in (f.get(timeout=10) for f in futures)]
producer.close()

consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                         enable_auto_commit=False, consumer_timeout_ms=1000)
records = []
deadline = time.time() + 30
while len(records) < N and time.time() < deadline:
    for batch in consumer.poll(timeout_ms=500).values():
        records.extend([r.partition, r.offset, r.key.decode(), r.value.decode(), r.timestamp, r.timestamp_type]
                       for r in batch)
out['consumed'] = sorted(records)
consumer.commit()
tps = [TopicPartition(topic, p) for p in range(partitions)]
out['committed'] = [consumer.committed(tp) for tp in tps]
out['beginning'] = sorted([tp.partition, o] for tp, o in consumer.beginning_offsets(tps).items())
out['end'] = sorted([tp.partition, o] for tp, o in consumer.end_offsets(tps).items())
times = consumer.offsets_for_times({tp: BASE_TS + 4 * 1000 for tp in tps})
out['offsets_for_times'] = sorted([tp.partition, None if ot is None else [ot.offset, ot.timestamp]]
                                  for tp, ot in times.items())
consumer.close()
print(json.dumps(out))
