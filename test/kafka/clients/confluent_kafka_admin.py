"""confluent-kafka-python (librdkafka 2.0.2) admin calls, results printed one per line: create a topic,
describe its configs, add partitions, list and describe groups, delete the topic; then an idempotent
producer (InitProducerId). With a user and password: SASL/PLAIN first."""
import sys

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

bootstrap = sys.argv[1]
config = {'bootstrap.servers': bootstrap}
if len(sys.argv) > 3:
    config.update({'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanisms': 'PLAIN',
                   'sasl.username': sys.argv[2], 'sasl.password': sys.argv[3]})
admin = AdminClient(config)
admin.create_topics([NewTopic('a-ck', 2, 1)])['a-ck'].result(10)
print('created')
try:
    admin.create_topics([NewTopic('a-ck', 2, 1)])['a-ck'].result(10)
except Exception as e:  # noqa: BLE001 - the KafkaException carries the broker's error
    print('again', e.args[0].name())
configs = admin.describe_configs([ConfigResource('topic', 'a-ck')])
for resource, future in configs.items():
    print('configs', resource.name, sorted((k, v.value) for k, v in future.result(10).items()))
admin.create_partitions([NewPartitions('a-ck', 3)])['a-ck'].result(10)
print('partitions', len(admin.list_topics(timeout=10).topics['a-ck'].partitions))
groups = admin.list_groups(timeout=10)
print('groups', sorted((g.id, g.state, g.protocol_type) for g in groups))
admin.delete_topics(['a-ck'])['a-ck'].result(10)
print('topics', sorted(admin.list_topics(timeout=10).topics))
producer = Producer({**config, 'enable.idempotence': True})
producer.produce('t-idem', b'x')
print('unflushed', producer.flush(10))
