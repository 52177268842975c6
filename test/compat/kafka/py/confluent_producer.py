"""confluent-kafka-python 1.7.0 on librdkafka 2.0.2 (python3-confluent-kafka): a Producer with
delivery reports, keyed, uncompressed and gzip. Its Consumer needs consumer groups (not served yet).
Prints one JSON document: the delivery reports."""
import json
import sys

from confluent_kafka import Producer

bootstrap = sys.argv[1]
topic = sys.argv[2]
reports = []


def delivered(err, msg):
    reports.append({'error': None if err is None else err.str(), 'partition': msg.partition(), 'offset': msg.offset(),
                    'key': msg.key().decode()})


for codec in ('none', 'gzip'):
    p = Producer({'bootstrap.servers': bootstrap, 'compression.type': codec, 'acks': 'all', 'linger.ms': 5})
    for i in range(6):
        p.produce(topic, key=b'%s-%d' % (codec.encode(), i % 2), value=b'%s value %d' % (codec.encode(), i), on_delivery=delivered)
    p.flush(30)
print(json.dumps(reports))
