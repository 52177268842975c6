"""The course's pika consumer, as written there (PlainCredentials, queue_declare, basic_consume
with a callback that acknowledges by hand), stopping after <count> messages instead of waiting
for Ctrl-C.

Usage: course_consumer.py <host> <port> <user> <password> <queue> <count>
"""
import sys

import pika

host, port, user, password, queue, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])

credentials = pika.PlainCredentials(user, password)
connection = pika.BlockingConnection(pika.ConnectionParameters(host=host, port=port, credentials=credentials))
channel = connection.channel()
channel.queue_declare(queue=queue, durable=True)
received = []


def callback(ch, method, properties, body):
    print(" [x] Received %r" % body.decode())
    received.append(body)
    ch.basic_ack(delivery_tag=method.delivery_tag)
    if len(received) >= count:
        ch.stop_consuming()


channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue=queue, on_message_callback=callback)
connection.call_later(20, channel.stop_consuming)
channel.start_consuming()
connection.close()
