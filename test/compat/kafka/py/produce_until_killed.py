"""confluent-kafka-python (librdkafka) producer with acks=all that produces `<tag>-<i>` values for
ever and prints one line "<value> <partition> <offset>" per acknowledged record, flushed at once, so
the test knows exactly what the broker acknowledged before it was killed with SIGKILL."""
import sys

from confluent_kafka import Producer

bootstrap, topic, tag = sys.argv[1], sys.argv[2], sys.argv[3]


def delivered(err, msg):
    if err is None:
        sys.stdout.write('%s %d %d\n' % (msg.value().decode(), msg.partition(), msg.offset()))
        sys.stdout.flush()


p = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 2, 'message.timeout.ms': 60000})
i = 0
while True:
    try:
        p.produce(topic, value=b'%s-%d' % (tag.encode(), i), on_delivery=delivered)
        i += 1
    except BufferError:
        p.poll(0.05)
    p.poll(0)
