"""Paced confluent-kafka (librdkafka) producer for the end-to-end latency benchmark: `rate`
records per second for `seconds`, each value the wall-clock send time in microseconds, padded to
100 bytes; linger.ms=0 so a record is sent as soon as it is produced (Kreps 2014 measured e2e the same way)."""
import sys
import time

from confluent_kafka import Producer

bootstrap, topic, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
p = Producer({'bootstrap.servers': bootstrap, 'acks': '1', 'linger.ms': 0})
start = time.time()
total = int(rate * seconds)
for i in range(total):
    due = start + i / rate
    delay = due - time.time()
    if delay > 0:
        time.sleep(delay)
    p.produce(topic, value=str(time.time_ns() // 1000).ljust(100).encode())
    p.poll(0)
p.flush(30)
print(total)
