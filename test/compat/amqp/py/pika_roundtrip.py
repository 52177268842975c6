"""Publish one message with pika (Debian's python3-pika 1.2) and consume it back.

Usage: pika_roundtrip.py <amqp-url> <queue> <body>; prints one JSON document:
{"server": <server-properties product/version>, "body": <consumed body>, "redelivered": bool}.
"""
import json
import sys

import pika

url, queue, body = sys.argv[1], sys.argv[2], sys.argv[3]
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
ch.queue_declare(queue=queue, auto_delete=True)
ch.basic_publish(exchange='', routing_key=queue, body=body.encode())
got = None
for method, _props, payload in ch.consume(queue, inactivity_timeout=10):
    if method is None:
        break
    ch.basic_ack(method.delivery_tag)
    got = {'body': payload.decode(), 'redelivered': method.redelivered}
    break
ch.cancel()
props = conn._impl.server_properties
server = {k: props[k].decode() if isinstance(props[k], bytes) else props[k] for k in ('product', 'version')}
conn.close()
print(json.dumps({'server': server, **(got or {'body': None})}))
