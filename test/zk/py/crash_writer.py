"""Writer for the kill -9 test: one kazoo session keeps 16 creates in flight and prints each
acknowledged path with its czxid. It owns an ephemeral node; after the server comes back it
checks that the same session reconnected and its ephemeral survived. One JSON object per line."""
import json, sys, threading, time
from kazoo.client import KazooClient
from kazoo.protocol.states import KazooState

hosts, prefix = sys.argv[1], sys.argv[2]
state_log = []
zk = KazooClient(hosts=hosts, timeout=15, connection_retry={'max_tries': -1, 'delay': 0.05, 'max_delay': 0.2})
zk.add_listener(lambda s: state_log.append(s))
zk.start()
session = zk.client_id[0]
zk.ensure_path(prefix)
zk.create(prefix + '/eph-' + str(session), ephemeral=True)
print(json.dumps({'session': session}), flush=True)

stop = threading.Event()
def on_done(path, i):
    def cb(result):
        try:
            created = result.get()
        except Exception:
            return  # unacknowledged: may be lost
        print(json.dumps({'ack': created, 'i': i}), flush=True)
    return cb

sem = threading.Semaphore(16)
i = 0
while not stop.is_set() and zk.state == KazooState.CONNECTED:
    sem.acquire(timeout=5)
    a = zk.create_async('%s/n-%06d' % (prefix, i), b'v%d' % i)
    a.rawlink(on_done(prefix, i))
    a.rawlink(lambda _r: sem.release())
    i += 1
    if i > 200000:
        break

# The server was killed: wait until kazoo reconnects (same session) after the restart.
deadline = time.time() + 30
while time.time() < deadline and not (zk.connected and KazooState.SUSPENDED in state_log):
    time.sleep(0.05)
while time.time() < deadline and not zk.connected:
    time.sleep(0.05)
print(json.dumps({
    'reconnected': zk.connected,
    'same_session': zk.client_id[0] == session,
    'lost': KazooState.LOST in state_log,
    'ephemeral_alive': zk.exists(prefix + '/eph-' + str(session)) is not None,
}), flush=True)
zk.stop()
