"""Consume until killed, ack some messages, report acks the server has processed (pika).

Usage: kill9_consumer.py <amqp-url> <queue>
Acks every message whose number (after the last '-') is even and leaves the others unacked (no
prefetch limit, so they do not stop the flow). Prints "sent <id>" before each basic.ack; after each
batch of acks a synchronous basic.qos round trip on the same channel, then "acked <id>" for the
batch: the server answered qos-ok after processing the acks sent before it.
"""
import sys

import pika

url, queue = sys.argv[1], sys.argv[2]
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
ch.basic_qos(prefetch_count=0)
batch = []
try:
    for method, _props, body in ch.consume(queue, inactivity_timeout=0.2):
        if method is not None:
            msg_id = body.decode()
            if int(msg_id.rsplit('-', 1)[1]) % 2 == 0:
                print('sent', msg_id, flush=True)
                ch.basic_ack(method.delivery_tag)
                batch.append(msg_id)
        if batch and (method is None or len(batch) >= 20):
            ch.basic_qos(prefetch_count=0)
            for msg_id in batch:
                print('acked', msg_id, flush=True)
            batch = []
except Exception:  # the server was killed
    sys.exit(0)
