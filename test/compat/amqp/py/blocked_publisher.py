# pika's blocked-connection callbacks: publish until connection.blocked arrives, print its reason,
# then wait (reading) for connection.unblocked and print that. Usage: host port queue
import sys
import time
import pika

host, port, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3]
events = []
conn = pika.BlockingConnection(pika.ConnectionParameters(host=host, port=port))
conn.add_on_connection_blocked_callback(lambda _c, frame: events.append('blocked: ' + frame.method.reason))
conn.add_on_connection_unblocked_callback(lambda _c, _frame: events.append('unblocked'))
ch = conn.channel()
deadline = time.time() + 20
while not events and time.time() < deadline:
    ch.basic_publish(exchange='', routing_key=queue, body=b'pika')
    conn.process_data_events(time_limit=0.2)
print(events[0] if events else 'no blocked', flush=True)
while len(events) < 2 and time.time() < deadline:
    conn.process_data_events(time_limit=0.2)
print(events[1] if len(events) > 1 else 'no unblocked', flush=True)
conn.close()
