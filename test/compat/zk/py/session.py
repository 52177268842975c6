"""Sessions: resuming with (session id, password) keeps ephemerals; a wrong password or an expired
session is refused (ConnectResponse with timeOut 0, seen with the raw client; kazoo then quietly
opens a new session); timeouts are clamped to [2, 20] * tickTime.
Run with --orphan to create a session and die without closing it."""
import os
import subprocess
import sys
import threading
import time

from kazoo.client import KazooClient

from common import client, emit
from zkraw import RawZk

hosts = sys.argv[1]
if len(sys.argv) > 2 and sys.argv[2] == '--orphan':
    zk = client(hosts, timeout=float(sys.argv[4]))
    zk.create(sys.argv[3], ephemeral=True, makepath=True)
    sid, pwd = zk.client_id
    print('%x %s' % (sid, pwd.hex()), flush=True)
    os._exit(0)  # the socket closes, the session lives on until it times out


def orphan(path, timeout):
    line = subprocess.check_output([sys.executable, __file__, hosts, '--orphan', path, str(timeout)], text=True)
    sid, pwd = line.split()
    return int(sid, 16), bytes.fromhex(pwd)


def resume(sid, pwd):
    """Connect with an existing session's credentials; return (states seen, error name, client)."""
    states = []
    zk = KazooClient(hosts=hosts, timeout=10.0, client_id=(sid, pwd))
    zk.add_listener(lambda s: states.append(str(s)))
    try:
        zk.start(timeout=5)
        return list(states), '', zk
    except Exception as e:  # noqa: BLE001
        zk.stop()
        zk.close()
        return states, type(e).__name__, None


out = {}
sid, pwd = orphan('/sess/kept', 30.0)
states, err, zk = resume(sid, pwd)
out['resume'] = {'states': states, 'error': err, 'same_session': zk.client_id[0] == sid,
                 'owner_matches': zk.exists('/sess/kept').ephemeralOwner == sid}
zk.stop()  # closes the session: its ephemeral goes at once
zk.close()

sid2, pwd2 = orphan('/sess/short', 4.0)
host, port = hosts.rsplit(':', 1)
raw = RawZk(host, int(port), session_id=sid2, passwd=bytes(16))
refused = {'timeout': raw.timeout, 'session_id': raw.session_id, 'passwd_len': len(raw.passwd)}
try:
    raw.request(3, b'\0\0\0\x01/\0')  # exists("/"): the server has closed the connection
    refused['closed'] = False
except (ConnectionError, OSError):
    refused['closed'] = True
out['wrong_password_raw'] = refused
# kazoo treats the refusal as session expiry and silently starts a NEW session.
states, err, zk = resume(sid2, bytes(16))
out['wrong_password_kazoo'] = {'error': err, 'new_session': zk.client_id[0] != sid2}
zk.stop()
zk.close()

watcher = client(hosts)
out['kept_gone_after_close'] = watcher.exists('/sess/kept') is None
gone = threading.Event()
started = time.time()
watcher.exists('/sess/short', watch=lambda e: gone.set())
out['short_expired'] = gone.wait(15)
out['short_expiry_seconds'] = round(time.time() - started, 1)
raw = RawZk(host, int(port), session_id=sid2, passwd=pwd2)
out['resume_expired_raw'] = {'timeout': raw.timeout, 'session_id': raw.session_id}
raw.sock.close()
timeouts = []
for asked in (1000, 5000, 100000):
    raw = RawZk(host, int(port), timeout_ms=asked)
    timeouts.append(raw.timeout)
    raw.close()
out['negotiated_timeouts'] = timeouts
watcher.delete('/sess', recursive=True)
watcher.stop()
watcher.close()
emit(out)
