"""kazoo transactions (ZooKeeper multi): results of a committed and of failed transactions."""
import sys

from common import client, emit, stat

zk = client(sys.argv[1])
zk.create('/multi', b'')


def names(results):
    return [r if isinstance(r, (str, bool)) else type(r).__name__ if isinstance(r, Exception) else stat(r)
            for r in results]


out = {}
t = zk.transaction()
t.create('/multi/a', b'1')
t.set_data('/multi/a', b'2')
t.check('/multi/a', 1)
t.create('/multi/b', b'')
t.delete('/multi/b')
out['ok'] = names(t.commit())
out['ok_data'] = zk.get('/multi/a')[0].decode()

t = zk.transaction()
t.create('/multi/c', b'')
t.check('/multi/a', 7)
t.set_data('/multi/a', b'3')
out['bad_version'] = names(t.commit())

t = zk.transaction()
t.set_data('/multi/a', b'4')
t.create('/multi/c', b'')
t.delete('/multi/nope')
t.create('/multi/d', b'')
out['no_node'] = names(t.commit())

out['after_failures'] = {'c': zk.exists('/multi/c') is not None, 'd': zk.exists('/multi/d') is not None,
                         'data': zk.get('/multi/a')[0].decode(), 'children': sorted(zk.get_children('/multi'))}
# One zxid per multi, committed or not: a failed multi is one ErrorTxn.
z0 = zk.create('/multi/z0', include_data=True)[1].czxid
t = zk.transaction()
t.create('/multi/z1', b'')
t.create('/multi/z2', b'')
t.commit()
t = zk.transaction()
t.create('/multi/z3', b'')
t.check('/multi/z0', 9)
t.commit()
out['zxids'] = [zk.exists('/multi/z1').czxid - z0, zk.exists('/multi/z2').czxid - z0,
                zk.create('/multi/z4', include_data=True)[1].czxid - z0]
zk.delete('/multi', recursive=True)
zk.stop()
zk.close()
emit(out)
