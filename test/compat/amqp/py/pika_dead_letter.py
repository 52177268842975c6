"""Dead-letter a message with pika (Debian's python3-pika 1.2): a queue with a DLX, basic.reject
without requeue, the dead-lettered copy fetched from the dead-letter queue.

Usage: pika_dead_letter.py <amqp-url> <queue>; prints one JSON document: the copy's routing key,
its header names in order, and its x-death entries (time as an integer, byte strings decoded).
"""
import datetime
import json
import sys

import pika

url, queue = sys.argv[1], sys.argv[2]
dlq = queue + '-dlq'
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
ch.confirm_delivery()
ch.queue_declare(queue=dlq)
ch.queue_declare(queue=queue, arguments={'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq})
ch.basic_publish(exchange='', routing_key=queue, body=b'bye', properties=pika.BasicProperties(headers={'b': 1, 'a': 'x'}, expiration='60000'))
method, _props, _body = ch.basic_get(queue)
ch.basic_reject(method.delivery_tag, requeue=False)
got = None
for _ in range(100):
    method, props, body = ch.basic_get(dlq, auto_ack=True)
    if method is not None:
        got = (method, props, body)
        break
    conn.sleep(0.02)


def plain(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, datetime.datetime):
        return int(value.replace(tzinfo=datetime.timezone.utc).timestamp())
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


method, props, body = got
ch.queue_delete(queue)
ch.queue_delete(dlq)
conn.close()
print(json.dumps({
    'body': body.decode(), 'routingKey': method.routing_key, 'expiration': props.expiration,
    'headerNames': list(props.headers.keys()), 'xDeath': plain(props.headers['x-death']),
}))
