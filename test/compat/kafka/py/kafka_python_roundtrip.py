"""kafka-python 2.0.2 (python3-kafka) against a broker: admin create/list/delete, KafkaProducer
(keyed, gzip), KafkaConsumer without a group (assign + seek), end offsets and offsets by time.
Prints one JSON document of what it saw; the test asserts on it."""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import InvalidReplicationFactorError, TopicAlreadyExistsError

bootstrap = sys.argv[1]
out = {}

admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='kpy-admin')
admin.create_topics([NewTopic('py-events', 2, 1)])
try:
    admin.create_topics([NewTopic('py-events', 2, 1)])
    out['create_twice'] = 'created'
except TopicAlreadyExistsError:
    out['create_twice'] = 'TopicAlreadyExistsError'
try:
    admin.create_topics([NewTopic('py-replicated', 1, 3)])
    out['replication_3'] = 'created'
except InvalidReplicationFactorError as e:
    out['replication_3'] = 'InvalidReplicationFactorError'
admin.create_topics([NewTopic('py-scratch', 1, 1)])
out['topics_before_delete'] = sorted(admin.list_topics())
admin.delete_topics(['py-scratch'])
out['topics_after_delete'] = sorted(admin.list_topics())

start = int(time.time() * 1000) - 1000
producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', client_id='kpy-producer')
metadata = [producer.send('py-events', key=b'k%d' % (i % 2), value=b'plain-%d' % i).get(timeout=30) for i in range(10)]
out['keyed_partitions'] = {('k%d' % (i % 2)): m.partition for i, m in enumerate(metadata)}
producer.close()
gz = KafkaProducer(bootstrap_servers=bootstrap, compression_type='gzip', client_id='kpy-gzip')
for i in range(5):
    gz.send('py-events', key=b'gz', value=b'gzip-%d' % i)
gz.flush()
gz.close()

consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, consumer_timeout_ms=3000, client_id='kpy-consumer')
partitions = [TopicPartition('py-events', 0), TopicPartition('py-events', 1)]
consumer.assign(partitions)
consumer.seek_to_beginning()
out['consumed'] = sorted([[m.partition, m.offset, m.key.decode(), m.value.decode()] for m in consumer])
out['end_offsets'] = {str(tp.partition): o for tp, o in consumer.end_offsets(partitions).items()}
out['offsets_for_times'] = {str(tp.partition): (None if o is None else o.offset)
                            for tp, o in consumer.offsets_for_times({tp: start for tp in partitions}).items()}
consumer.close()
admin.close()
print(json.dumps(out))
