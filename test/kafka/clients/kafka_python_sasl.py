"""kafka-python 2.0.2 over SASL_PLAINTEXT (SaslHandshake v0, then raw tokens): produce two records to
TOPIC, read them back from partition 0 without a group. Prints the records, or the error's class name.
Usage: kafka_python_sasl.py BOOTSTRAP TOPIC MECHANISM USER PASSWORD"""
import sys

import kafka
from kafka import TopicPartition

bootstrap, topic, mechanism, user, password = sys.argv[1:6]
sasl = dict(security_protocol='SASL_PLAINTEXT', sasl_mechanism=mechanism, sasl_plain_username=user, sasl_plain_password=password)
try:
    producer = kafka.KafkaProducer(bootstrap_servers=bootstrap, **sasl)
    producer.send(topic, key=b'k', value=b'hello').get(timeout=20)
    producer.send(topic, value=b'world').get(timeout=20)
    producer.close()
    consumer = kafka.KafkaConsumer(bootstrap_servers=bootstrap, consumer_timeout_ms=10000, auto_offset_reset='earliest', **sasl)
    consumer.assign([TopicPartition(topic, 0)])
    seen = []
    for message in consumer:
        seen.append((message.offset, message.key, message.value))
        if len(seen) == 2:
            break
    consumer.close()
    print(seen)
except Exception as e:  # the test asserts on the class name
    print(type(e).__name__)
