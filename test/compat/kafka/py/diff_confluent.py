"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2), one scenario for the differential suite (the
same run against Junction and librdkafka's mock cluster): keyed Producer with CreateTime
timestamps and delivery reports; a subscribed Consumer in a group that reads everything, commits
synchronously and reads the commits back with committed(); watermarks; offsets_for_times; a
Fetch beyond the end with auto.offset.reset=error (the broker's OFFSET_OUT_OF_RANGE).
Usage: diff_confluent.py BOOTSTRAP TOPIC GROUP PARTITIONS. Prints one JSON document."""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

bootstrap, topic, group, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
BASE_TS = 1_700_000_000_000
N = 12
out = {}

delivered = []
producer = Producer({'bootstrap.servers': bootstrap, 'linger.ms': 5})
for i in range(N):
    producer.produce(topic, key='k%d' % (i % 4), value='v%d' % i, timestamp=BASE_TS + i * 1000,
                     on_delivery=lambda err, m: delivered.append(
                         [m.key().decode(), m.value().decode(), m.partition(), m.offset(), err and err.code()]))
producer.flush(15)
out['delivered'] = sorted(delivered, key=lambda d: int(d[1][1:]))

consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                     'enable.auto.commit': False, 'session.timeout.ms': 6000})
consumer.subscribe([topic])
records = []
deadline = time.time() + 30
while len(records) < N and time.time() < deadline:
    m = consumer.poll(0.5)
    if m is None:
        continue
    if m.error():
        raise SystemExit('consume error: %s' % m.error())
    records.append([m.partition(), m.offset(), m.key().decode(), m.value().decode(), list(m.timestamp())])
out['consumed'] = sorted(records)
consumer.commit(asynchronous=False)
tps = [TopicPartition(topic, p) for p in range(partitions)]
out['committed'] = [[tp.partition, tp.offset, tp.error and tp.error.code()] for tp in consumer.committed(tps, timeout=10)]
out['watermarks'] = [list(consumer.get_watermark_offsets(tp, timeout=10)) for tp in tps]
at = [TopicPartition(topic, p, BASE_TS + 6 * 1000) for p in range(partitions)]
out['offsets_for_times'] = [[tp.partition, tp.offset] for tp in consumer.offsets_for_times(at, timeout=10)]
consumer.close()

# A group that never committed: committed() answers OFFSET_INVALID (-1001) per partition.
fresh = Consumer({'bootstrap.servers': bootstrap, 'group.id': group + '-fresh'})
out['fresh_committed'] = [[tp.partition, tp.offset] for tp in fresh.committed(tps, timeout=10)]
fresh.close()

# Fetch past the end with no reset policy: the broker's OFFSET_OUT_OF_RANGE reaches the app.
strict = Consumer({'bootstrap.servers': bootstrap, 'group.id': group + '-strict', 'auto.offset.reset': 'error',
                   'enable.auto.commit': False})
strict.assign([TopicPartition(topic, 0, 1000)])
errors = []
deadline = time.time() + 10
while not errors and time.time() < deadline:
    m = strict.poll(0.5)
    if m is not None and m.error() and m.error().code() != KafkaError._PARTITION_EOF:
        errors.append(m.error().name())
strict.close()
out['out_of_range'] = errors
print(json.dumps(out))
