"""confluent-kafka-python 1.7.0 (librdkafka 2.0.2), two Consumers of one group on one topic, for
the differential suite: the partitions each is assigned once both are in, and after the first
one leaves (close -> LeaveGroup) what the second is assigned.
Usage: diff_confluent_pair.py BOOTSTRAP TOPIC GROUP PARTITIONS. Prints one JSON document."""
import json
import sys
import time

from confluent_kafka import Consumer

bootstrap, topic, group, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def consumer(name):
    c = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': name,
                  'session.timeout.ms': 6000, 'heartbeat.interval.ms': 500, 'enable.auto.commit': False})
    c.subscribe([topic])
    return c


def poll_until(consumers, done, seconds=30):
    deadline = time.time() + seconds
    while not done() and time.time() < deadline:
        for c in consumers:
            c.poll(0.1)
    return done()


first, second = consumer('first'), consumer('second')
both = lambda: sorted(len(c.assignment()) for c in (first, second)) == [partitions // 2, partitions - partitions // 2]
split = poll_until([first, second], both)
assignments = sorted(sorted(p.partition for p in c.assignment()) for c in (first, second))
first.close()
alone = poll_until([second], lambda: len(second.assignment()) == partitions)
after_leave = sorted(p.partition for p in second.assignment())
second.close()
print(json.dumps({'split': split, 'assignments': assignments, 'alone': alone, 'after_leave': after_leave}))
