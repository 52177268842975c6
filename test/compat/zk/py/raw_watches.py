"""Wire-level watch behaviour with the raw client: notification-before-reply ordering, how many
notifications one change sends, and addWatch (persistent / persistent recursive) which kazoo 2.8
cannot send. Events are [type, state, path] with ZooKeeper's Watcher.Event numbers
(1 NodeCreated, 2 NodeDeleted, 3 NodeDataChanged, 4 NodeChildrenChanged; state 3 SyncConnected)."""
import json
import sys

from zkraw import RawZk

host, port = sys.argv[1].rsplit(':', 1)
a, b = RawZk(host, int(port)), RawZk(host, int(port))
out = {}

# Own write: the notification for a's watch is on the wire before the reply to a's setData.
a.create('/rwt')
a.create('/rw1', b'0')
a.get_data('/rw1', watch=True)
a.set_data('/rw1', b'1')
out['own_write_event_before_reply'] = [list(e) for e in a.events]
a.events.clear()

# Another session's write: b's reply has come back; a's event arrives (asynchronously).
a.exists('/rw1/c', watch=True)
out['other_write_reply'] = b.create('/rw1/c')[0]
out['other_write_event'] = a.wait_events(1)
a.events.clear()

# Data + child watch of one session on a deleted node: how many notifications go out.
a.get_data('/rw1/c', watch=True)
a.get_children('/rw1/c', watch=True)
b.delete('/rw1/c')
out['delete_with_data_and_child_watch'] = a.wait_events(3, 1.5)
a.events.clear()

# PERSISTENT on /rwt/pw: the node's own create/delete/data events and its child list changes.
out['add_watch'] = [a.add_watch('/rwt/pw', 0)[0], a.add_watch('/rwt/rw', 1)[0]]
for step in (lambda: b.create('/rwt/pw'), lambda: b.create('/rwt/pw/a'), lambda: b.set_data('/rwt/pw', b'1'),
             lambda: b.set_data('/rwt/pw/a', b'1'), lambda: b.create('/rwt/pw/a/b'), lambda: b.delete('/rwt/pw/a/b'),
             lambda: b.delete('/rwt/pw/a'), lambda: b.delete('/rwt/pw'), lambda: b.create('/rwt/pw')):
    step()
out['persistent'] = a.wait_events(6)
a.events.clear()

# PERSISTENT_RECURSIVE on /rwt/rw: created/deleted/changed for the node and every descendant.
for step in (lambda: b.create('/rwt/rw'), lambda: b.create('/rwt/rw/a'), lambda: b.create('/rwt/rw/a/b'),
             lambda: b.set_data('/rwt/rw/a/b', b'x'), lambda: b.delete('/rwt/rw/a/b'), lambda: b.set_data('/rwt/rw', b'')):
    step()
out['recursive'] = a.wait_events(6)
a.events.clear()

# A persistent watch plus a one-shot data watch on the same path: one notification per change.
a.get_data('/rwt/pw', watch=True)
b.set_data('/rwt/pw', b'2')
out['persistent_plus_oneshot'] = a.wait_events(2, 1.5)
a.events.clear()

# addWatch does not validate the path or require the node to exist.
out['add_watch_odd_paths'] = [a.add_watch('/no/such/node', 1)[0], a.add_watch('relative', 0)[0],
                              a.add_watch('/x//y', 0)[0]]
for p in ('/rw1', '/rwt/pw', '/rwt/rw', '/rwt'):
    b.delete(p)
a.close()
b.close()
print(json.dumps(out, sort_keys=True))
