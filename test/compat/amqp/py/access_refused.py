# pika against a vhost/permission setup: prints what the broker answers to connection.open and to
# a queue_declare the user has no configure permission for (argv: host port user password vhost queue).
import json, sys
import pika
from pika.exceptions import ChannelClosedByBroker, ConnectionClosedByBroker, ProbableAccessDeniedError

host, port, user, password, vhost, queue = sys.argv[1:7]
params = pika.ConnectionParameters(host, int(port), vhost, pika.PlainCredentials(user, password), connection_attempts=1)
out = {}
try:
    conn = pika.BlockingConnection(params)
except (ConnectionClosedByBroker, ProbableAccessDeniedError) as e:
    out['open'] = str(e)
    print(json.dumps(out))
    sys.exit(0)
ch = conn.channel()
try:
    ch.queue_declare(queue)
    out['declare'] = 'ok'
except ChannelClosedByBroker as e:
    out['declare'] = [e.reply_code, e.reply_text]
conn.close()
print(json.dumps(out))
