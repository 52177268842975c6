"""Publish persistent messages with confirms until killed (pika BlockingConnection, python3-pika 1.2).

Usage: kill9_publisher.py <amqp-url> <queue> <tag>
Publishes "<tag>-<n>" for n = 0, 1, … with delivery_mode 2; prints each id once its confirm
(basic.ack) has arrived — BlockingChannel.basic_publish returns only then under confirm_delivery.
"""
import sys

import pika

url, queue, tag = sys.argv[1], sys.argv[2], sys.argv[3]
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
ch.confirm_delivery()
n = 0
try:
    while True:
        msg_id = f'{tag}-{n}'
        ch.basic_publish(exchange='', routing_key=queue, body=msg_id.encode(), properties=pika.BasicProperties(delivery_mode=2))
        print(msg_id, flush=True)
        n += 1
except Exception:  # the server was killed: stop quietly
    sys.exit(0)
