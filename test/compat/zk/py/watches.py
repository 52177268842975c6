"""kazoo one-shot watches between two sessions: which events fire, for which path, how often."""
import sys
import threading
import time

from common import client, emit

hosts = sys.argv[1]
a = client(hosts)  # sets the watches
b = client(hosts)  # makes the changes
seen = []
cond = threading.Condition()


def record(tag):
    def watcher(event):
        with cond:
            seen.append([tag, event.type, event.path])
            cond.notify_all()
    return watcher


def settle(count, seconds=5.0):
    """Wait until `count` events were recorded, then a little longer to catch extra ones."""
    deadline = time.time() + seconds
    with cond:
        while len(seen) < count and time.time() < deadline:
            cond.wait(deadline - time.time())
    time.sleep(0.3)
    with cond:
        got = list(seen)
        seen.clear()
    return got


out = {}
b.create('/w/node', b'v0', makepath=True)
a.get('/w/node', watch=record('data'))
a.exists('/w/missing', watch=record('exists'))
a.get_children('/w', watch=record('children'))
b.set('/w/node', b'v1')
b.create('/w/missing')
out['first'] = sorted(settle(3))
# One-shot: the same changes again fire nothing.
b.set('/w/node', b'v2')
b.create('/w/other')
out['second'] = settle(1, 0.7)

# A child's data change does not fire the parent's child watch; a child create does.
a.get_children('/w', watch=record('children'))
b.set('/w/other', b'x')
b.delete('/w/other')
out['child_watch'] = settle(1)

# Deleting a node fires NodeDeleted on its data, exists and child watches.
a.get('/w/node', watch=record('data'))
a.exists('/w/node', watch=record('exists'))
a.get_children('/w/node', watch=record('children'))
b.delete('/w/node')
out['delete'] = sorted(settle(2))

# exists() on a missing node leaves a watch that fires on creation; get() on a missing node does not.
try:
    a.get('/w/later', watch=record('get-missing'))
except Exception as e:  # noqa: BLE001
    out['get_missing_error'] = type(e).__name__
b.create('/w/later')
out['get_missing_created'] = settle(1, 0.7)

# An ephemeral of session b, watched by a: b's session close fires NodeDeleted and the parent's child watch.
b.create('/w/eph', ephemeral=True)
a.exists('/w/eph', watch=record('exists'))
a.get_children('/w', watch=record('children'))
b.stop()
b.close()
out['ephemeral_gone'] = sorted(settle(2))
out['ephemeral_exists_after'] = a.exists('/w/eph') is not None
a.delete('/w', recursive=True)
a.stop()
a.close()
emit(out)
