"""The course's pika producer, as written there (PlainCredentials, queue_declare, basic_publish),
with the broker address and the messages taken from the command line.

Usage: course_producer.py <host> <port> <user> <password> <queue> <message>...
"""
import sys

import pika

host, port, user, password, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
messages = sys.argv[6:]

credentials = pika.PlainCredentials(user, password)
connection = pika.BlockingConnection(pika.ConnectionParameters(host=host, port=port, credentials=credentials))
channel = connection.channel()
channel.queue_declare(queue=queue, durable=True)
for message in messages:
    channel.basic_publish(exchange='', routing_key=queue, body=message,
                          properties=pika.BasicProperties(delivery_mode=2))
    print(" [x] Sent %r" % message)
connection.close()
