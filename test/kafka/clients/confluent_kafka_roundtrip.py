"""confluent-kafka-python (librdkafka 2.0.2): produce two records to TOPIC, read them back in group GROUP,
commit, print them."""
import sys

from confluent_kafka import Consumer, Producer

bootstrap, topic, group = sys.argv[1:4]
producer = Producer({'bootstrap.servers': bootstrap})
producer.produce(topic, key=b'k', value=b'hello')
producer.produce(topic, value=b'world')
producer.flush(10)
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'auto.offset.reset': 'earliest',
                     'enable.auto.commit': False})
consumer.subscribe([topic])
seen = []
for _ in range(100):
    message = consumer.poll(0.2)
    if message is not None and message.error() is None:
        seen.append((message.offset(), message.key(), message.value()))
    if len(seen) == 2:
        break
consumer.commit(asynchronous=False)
consumer.close()
print(seen)
