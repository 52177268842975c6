"""kazoo error mapping: each entry is the exception class kazoo raised for the server's answer."""
import sys

from common import client, emit, error_name

zk = client(sys.argv[1])
zk.create('/err', b'v')
zk.create('/err/child')
e = {}
e['set_bad_version'] = error_name(zk.set, '/err', b'x', version=5)
e['delete_bad_version'] = error_name(zk.delete, '/err/child', version=3)
e['delete_not_empty'] = error_name(zk.delete, '/err')
e['create_exists'] = error_name(zk.create, '/err')
e['create_no_parent'] = error_name(zk.create, '/err/missing/x')
e['get_no_node'] = error_name(zk.get, '/err/missing')
e['set_no_node'] = error_name(zk.set, '/err/missing', b'x')
e['delete_no_node'] = error_name(zk.delete, '/err/missing')
e['children_no_node'] = error_name(zk.get_children, '/err/missing')
e['acls_no_node'] = error_name(zk.get_acls, '/err/missing')
# kazoo sends control characters unchanged; ZooKeeper PathUtils.validatePath rejects them.
e['create_control_char'] = error_name(zk.create, '/err/a\x01b')
# kazoo normalises '/a//b' itself and refuses '.' segments before sending (kazoo.protocol.paths).
e['create_dot_segment'] = error_name(zk.create, '/err/.')
e['create_root'] = error_name(zk.create, '/')
e['delete_root'] = error_name(zk.delete, '/')
e['delete_zookeeper'] = error_name(zk.delete, '/zookeeper')
e['delete_zookeeper_quota'] = error_name(zk.delete, '/zookeeper/quota')
e['set_zookeeper'] = error_name(zk.set, '/zookeeper/quota', b'')
e['sequential_no_parent'] = error_name(zk.create, '/err/missing/s-', sequence=True)
e['still_there'] = zk.get('/err')[0].decode()
zk.delete('/err', recursive=True)
zk.stop()
zk.close()
emit(e)
