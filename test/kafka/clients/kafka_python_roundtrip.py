"""kafka-python 2.0.2: produce two records to TOPIC, read them back in group GROUP, commit, print them."""
import sys

import kafka

bootstrap, topic, group = sys.argv[1:4]
producer = kafka.KafkaProducer(bootstrap_servers=bootstrap)
producer.send(topic, key=b'k', value=b'hello')
producer.send(topic, value=b'world')
producer.flush()
producer.close()
consumer = kafka.KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                               enable_auto_commit=False, consumer_timeout_ms=10000)
seen = []
for message in consumer:
    seen.append((message.offset, message.key, message.value))
    if len(seen) == 2:
        break
consumer.commit()
consumer.close()
print(seen)
