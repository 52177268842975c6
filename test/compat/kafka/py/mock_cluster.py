"""librdkafka's built-in mock cluster (the library confluent-kafka-python loads: Debian's
librdkafka 2.0.2) as a stand-alone Kafka reference for the differential compat tests.

A client handle created with `test.mock.num.brokers` starts the mock cluster in-process
(rd_kafka_new -> rd_kafka_mock_cluster_new); its brokers listen on 127.0.0.1 and any client
(kcat, kafka-python, kafkajs, confluent-kafka) can connect to them. The handle is made through
ctypes rather than confluent_kafka.Producer because the mock's control API
(rd_kafka_mock_topic_create ...) needs the rd_kafka_t pointer, which confluent-kafka 1.7 hides.

Usage: mock_cluster.py [BROKERS]. Prints {"bootstrap": "127.0.0.1:PORT", ...} as one line, then
reads commands from stdin, one a line, and answers each with one JSON line:
  topic NAME PARTITIONS   create a topic (replication factor 1) -> {"ok": true} or {"error": CODE}
It exits (destroying the cluster) when stdin closes, so a dying parent never leaves it behind."""
import ctypes
import json
import sys

brokers = sys.argv[1] if len(sys.argv) > 1 else '1'
lib = ctypes.CDLL('librdkafka.so.1')
lib.rd_kafka_conf_new.restype = ctypes.c_void_p
lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_new.restype = ctypes.c_void_p
lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_handle_mock_cluster.restype = ctypes.c_void_p
lib.rd_kafka_handle_mock_cluster.argtypes = [ctypes.c_void_p]
lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
lib.rd_kafka_mock_topic_create.restype = ctypes.c_int
lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
lib.rd_kafka_destroy.argtypes = [ctypes.c_void_p]
lib.rd_kafka_version_str.restype = ctypes.c_char_p

errstr = ctypes.create_string_buffer(512)
conf = lib.rd_kafka_conf_new()
for name, value in (('test.mock.num.brokers', brokers), ('log_level', '3')):
    if lib.rd_kafka_conf_set(conf, name.encode(), value.encode(), errstr, len(errstr)) != 0:
        raise SystemExit('%s: %s' % (name, errstr.value.decode()))
RD_KAFKA_PRODUCER = 0
rk = lib.rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, len(errstr))
if not rk:
    raise SystemExit('rd_kafka_new: %s' % errstr.value.decode())
cluster = lib.rd_kafka_handle_mock_cluster(rk)
if not cluster:
    raise SystemExit('no mock cluster: is this librdkafka built without the mock?')
print(json.dumps({'bootstrap': lib.rd_kafka_mock_cluster_bootstraps(cluster).decode(),
                  'librdkafka': lib.rd_kafka_version_str().decode()}), flush=True)

for line in sys.stdin:
    words = line.split()
    if len(words) == 3 and words[0] == 'topic':
        err = lib.rd_kafka_mock_topic_create(cluster, words[1].encode(), int(words[2]), 1)
        print(json.dumps({'ok': True} if err == 0 else {'error': err}), flush=True)
    elif words:
        print(json.dumps({'error': 'unknown command: %s' % line.strip()}), flush=True)
lib.rd_kafka_destroy(rk)
