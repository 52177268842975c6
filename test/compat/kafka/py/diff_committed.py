"""confluent-kafka-python 1.7.0: the committed offsets of GROUP for partitions 0..N-1 of TOPIC
(OffsetFetch), without joining the group. Usage: diff_committed.py BOOTSTRAP TOPIC GROUP N."""
import json
import sys

from confluent_kafka import Consumer, TopicPartition

bootstrap, topic, group, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group})
committed = consumer.committed([TopicPartition(topic, p) for p in range(n)], timeout=10)
consumer.close()
print(json.dumps({'committed': [[tp.partition, tp.offset] for tp in committed]}))
