"""confluent-kafka-python 1.7.0 on librdkafka 2.0.2: a Producer with enable.idempotence=True (it
sends InitProducerId, then batches with a producer id and sequences). Prints one JSON document: the
delivery reports."""
import json
import sys

from confluent_kafka import Producer

bootstrap = sys.argv[1]
topic = sys.argv[2]
count = int(sys.argv[3])
reports = []


def delivered(err, msg):
    reports.append({'error': None if err is None else err.str(), 'partition': msg.partition(), 'offset': msg.offset()})


p = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'linger.ms': 5, 'batch.num.messages': 50})
for i in range(count):
    p.produce(topic, key=b'k%d' % (i % 3), value=b'idempotent %d' % i, on_delivery=delivered)
    if i % 100 == 0:
        p.poll(0)
p.flush(30)
print(json.dumps(reports))
