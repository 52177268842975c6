# pika 1.2.0 (Debian) as the course uses it: PLAIN credentials, a durable queue with arguments,
# a persistent publish with headers. Run against the codec test's recording fake server.
import sys
import pika

params = pika.ConnectionParameters(host='127.0.0.1', port=int(sys.argv[1]), heartbeat=30,
                                   credentials=pika.PlainCredentials('alice', 's3cret'))
conn = pika.BlockingConnection(params)
ch = conn.channel()
ch.queue_declare(queue='hello', durable=True, arguments={'x-message-ttl': 60000, 'x-queue-mode': 'lazy'})
ch.basic_publish(exchange='', routing_key='hello', body=b'Hello World!',
                 properties=pika.BasicProperties(delivery_mode=2, headers={'n': None, 'big': 2 ** 40}))
ch.close()
conn.close()
print('done')
