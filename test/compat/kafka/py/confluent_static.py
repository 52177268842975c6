"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) as a static group member (group.instance.id,
KIP-345): subscribe, consume N records, commit, close — a static member does not leave the group
on close. Usage: confluent_static.py BOOTSTRAP TOPIC GROUP INSTANCE N. Prints one JSON document."""
import json
import sys
import time

from confluent_kafka import Consumer

bootstrap, topic, group, instance, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
consumer = Consumer({
    'bootstrap.servers': bootstrap, 'group.id': group, 'group.instance.id': instance, 'client.id': 'ck-static',
    'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'session.timeout.ms': 30000,
})
assigned = []
consumer.subscribe([topic], on_assign=lambda c, parts: assigned.extend(p.partition for p in parts))
records = []
deadline = time.time() + 60
while len(records) < want and time.time() < deadline:
    m = consumer.poll(0.5)
    if m is None or m.error():
        continue
    records.append([m.partition(), m.offset(), m.value().decode()])
consumer.commit(asynchronous=False)
consumer.close()
print(json.dumps({'assigned': sorted(assigned), 'records': records}))
