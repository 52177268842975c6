"""Declare a durable queue (pika). Usage: kill9_declare.py <amqp-url> <queue>"""
import sys

import pika

conn = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
conn.channel().queue_declare(queue=sys.argv[2], durable=True)
conn.close()
