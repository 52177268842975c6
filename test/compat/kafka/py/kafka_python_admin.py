"""kafka-python 2.0.2 (python3-kafka): KafkaAdminClient describe_configs, alter_configs (legacy
AlterConfigs: the given configs replace the topic's overrides) and create_partitions. Prints one JSON
document."""
import json
import sys

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewPartitions, NewTopic
from kafka.errors import KafkaError

bootstrap = sys.argv[1]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id='py-admin', request_timeout_ms=10000)
admin.create_topics([NewTopic('py-configs', 2, 1)])


def described(topic):
    response = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])[0]
    resource = response.resources[0]
    # (error_code, error_message, resource_type, resource_name, config_entries)
    return {entry[0]: entry[1] for entry in resource[4]}


def error_name(fn):
    try:
        fn()
    except KafkaError as err:
        return type(err).__name__
    return None


out = {'described': described('py-configs')}
altered = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, 'py-configs',
                                              configs={'retention.ms': '86400000', 'max.message.bytes': '2000000'})])
out['altered_error'] = altered.resources[0][0]
out['after_alter'] = described('py-configs')
admin.create_partitions({'py-configs': NewPartitions(4)})
out['partitions_after'] = len(admin.describe_topics(['py-configs'])[0]['partitions'])


def shrink():
    response = admin.create_partitions({'py-configs': NewPartitions(1)})
    code = response.topic_errors[0][1]
    if code != 0:
        from kafka.errors import for_code
        raise for_code(code)()


def unknown_config():
    response = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, 'py-configs', configs={'no.such': '1'})])
    code = response.resources[0][0]
    if code != 0:
        from kafka.errors import for_code
        raise for_code(code)()


out['shrink_error'] = error_name(shrink)
out['unknown_config_error'] = error_name(unknown_config)
admin.close()
print(json.dumps(out))
