"""Durable queue with pika (python3-pika 1.2) across a restart.

Usage:
  durable_pika.py publish <url> <queue> <n>   declare a durable queue, publish n persistent messages
                                             ("m0".."m<n-1>") and 1 transient ("t") with confirms
  durable_pika.py drain <url> <queue>         consume until idle; prints a JSON list of
                                             {"body", "redelivered", "delivery_mode"}
"""
import json
import sys

import pika

mode, url, queue = sys.argv[1], sys.argv[2], sys.argv[3]
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
if mode == 'publish':
    ch.confirm_delivery()
    ch.queue_declare(queue=queue, durable=True)
    for i in range(int(sys.argv[4])):
        ch.basic_publish(exchange='', routing_key=queue, body=f'm{i}'.encode(),
                         properties=pika.BasicProperties(delivery_mode=2), mandatory=True)
    ch.basic_publish(exchange='', routing_key=queue, body=b't', properties=pika.BasicProperties(delivery_mode=1))
    print(json.dumps({'published': True}))
else:
    ch.queue_declare(queue=queue, durable=True, passive=True)
    got = []
    for method, props, body in ch.consume(queue, inactivity_timeout=1):
        if method is None:
            break
        got.append({'body': body.decode(), 'redelivered': method.redelivered, 'delivery_mode': props.delivery_mode})
        ch.basic_ack(method.delivery_tag)
    ch.cancel()
    print(json.dumps(got))
conn.close()
