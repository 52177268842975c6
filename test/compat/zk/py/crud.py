"""kazoo CRUD: Stat fields, sequential suffixes, ephemerals, include_data, sync."""
import sys

from common import client, emit, error_name, session_hex, stat

zk = client(sys.argv[1])
out = {'session_id': session_hex(zk)}

path, st = zk.create('/crud', b'abc', include_data=True)
out['create'] = {'path': path, 'stat': stat(st)}
out['exists'] = stat(zk.exists('/crud'))
out['set'] = stat(zk.set('/crud', b'defgh'))
data, st = zk.get('/crud')
out['get'] = {'data': data.decode(), 'stat': stat(st)}

# The preamble's sequence case: a, x, delete x, c (x is a plain node).
out['seq_a'] = zk.create('/crud/n-', sequence=True)
out['plain_x'] = zk.create('/crud/x')
zk.delete('/crud/x')
out['seq_c'] = zk.create('/crud/n-', sequence=True)
out['parent_after_seq'] = stat(zk.exists('/crud'))

epath, est = zk.create('/crud/eph', b'e', ephemeral=True, include_data=True)
out['ephemeral'] = {'path': epath, 'stat': stat(est)}
out['ephemeral_child_error'] = error_name(zk.create, '/crud/eph/child')
out['ephemeral_seq'] = zk.create('/crud/es-', ephemeral=True, sequence=True)
out['parent_after_eph'] = stat(zk.exists('/crud'))

children, pstat = zk.get_children('/crud', include_data=True)
out['children_with_data'] = {'children': sorted(children), 'stat': stat(pstat)}

# A failed write still consumes a zxid (ZooKeeper: ErrorTxn is logged).
before = zk.create('/crud/z1', include_data=True)[1].czxid
out['failed_write_error'] = error_name(zk.create, '/crud/z1')
out['zxid_gap_over_failed_write'] = zk.create('/crud/z2', include_data=True)[1].czxid - before

zk.delete('/crud/z2', version=0)
out['sync'] = zk.sync('/crud')
out['empty_data'] = zk.get('/crud/z1')[0].decode()
out['exists_missing'] = zk.exists('/crud/missing')
zk.delete('/crud', recursive=True)
out['gone'] = zk.exists('/crud')
zk.stop()
zk.close()
emit(out)
