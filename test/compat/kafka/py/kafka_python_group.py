"""kafka-python 2.0.2 (python3-kafka) in a consumer group: KafkaConsumer(group_id=...) consumes N
records, commits, reads the commits back with committed(), then closes (LeaveGroup).
Usage: kafka_python_group.py BOOTSTRAP TOPIC GROUP N [SECONDS [each]]. With `each`, it also commits
after every poll, so that a rebalance (the other member of a shared group leaving) restarts its
partitions after what it consumed, not from the last commit. Prints one JSON document."""
import json
import sys
import time

from kafka import KafkaConsumer, TopicPartition

bootstrap, topic, group, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# Optional SECONDS: consume for that long (WANT 0: however many records come).
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 60
commit_each = len(sys.argv) > 6 and sys.argv[6] == 'each'
consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, client_id='kpy-group',
                         auto_offset_reset='earliest', enable_auto_commit=False, session_timeout_ms=6000,
                         heartbeat_interval_ms=1000)
records = []
deadline = time.time() + seconds
while (want <= 0 or len(records) < want) and time.time() < deadline:
    polled = consumer.poll(timeout_ms=500)
    for tp, messages in polled.items():
        records.extend([m.partition, m.offset, m.value.decode()] for m in messages)
    if commit_each and polled:
        consumer.commit()
consumer.commit()
assigned = sorted(tp.partition for tp in consumer.assignment())
committed = {str(p): consumer.committed(TopicPartition(topic, p)) for p in assigned}
consumer.close()
print(json.dumps({'assigned': assigned, 'records': records, 'committed': committed}))
