"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2) in a consumer group: subscribe, consume N
records, commit synchronously, read the commits back with committed(), leave (close).
Usage: confluent_group.py BOOTSTRAP TOPIC GROUP N [SECONDS [each]]. With `each`, it also commits after
every record, so that a rebalance (the other member of a shared group leaving) hands no partition back
from before what it consumed. Prints one JSON document."""
import json
import sys
import time

from confluent_kafka import Consumer, TopicPartition

bootstrap, topic, group, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# Optional SECONDS: consume for that long (WANT 0: however many records come).
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 60
commit_each = len(sys.argv) > 6 and sys.argv[6] == 'each'
consumer = Consumer({
    'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'ck-consumer',
    'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'session.timeout.ms': 6000,
})
assigned = []
consumer.subscribe([topic], on_assign=lambda c, parts: assigned.extend(p.partition for p in parts))
records = []
deadline = time.time() + seconds
while (want <= 0 or len(records) < want) and time.time() < deadline:
    m = consumer.poll(0.5)
    if m is None:
        continue
    if m.error():
        raise SystemExit('consume error: %s' % m.error())
    records.append([m.partition(), m.offset(), m.value().decode()])
    if commit_each:
        consumer.commit(message=m, asynchronous=False)
if not commit_each:  # with `each` every record is committed already ("No offset stored" otherwise)
    consumer.commit(asynchronous=False)
committed = consumer.committed([TopicPartition(topic, p) for p in sorted(set(assigned))], timeout=10)
consumer.close()
print(json.dumps({'assigned': sorted(assigned), 'records': records,
                  'committed': {str(tp.partition): tp.offset for tp in committed}}))
