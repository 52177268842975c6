"""Server limits: a request frame above jute.maxbuffer (argv[2]) closes that connection without a
reply (kazoo ConnectionLoss) while other sessions carry on; maxClientCnxns (argv[3]) per client IP."""
import socket
import struct
import sys
import time

from common import client, emit, error_name, session_hex
from zkraw import CREATE, OPEN_ACL_UNSAFE, RawZk, acl_vector, jstring

hosts, maxbuffer, max_cnxns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = hosts.rsplit(':', 1)
out = {}


def create_frame_len(path, size):
    """Length prefix of a create request: header (xid, type) + CreateRequest."""
    return 8 + len(jstring(path)) + 4 + size + len(acl_vector(OPEN_ACL_UNSAFE)) + 4


def raw_create(path, size):
    """Send one create on a fresh session; 'ok', an error code, or 'closed'."""
    raw = RawZk(host, int(port))
    try:
        err, _ = raw.create(path, b'x' * size, op=CREATE)
        raw.close()
        return err or 'ok'
    except (ConnectionError, OSError):
        return 'closed'


# The frame-length boundary, found with the raw client.
fixed = create_frame_len('/lim', 0)
out['at_limit'] = raw_create('/lim', maxbuffer - fixed)
out['over_limit'] = raw_create('/lim2', maxbuffer - fixed + 1)

a, b = client(hosts), client(hosts)
sid = session_hex(a)
a.create('/lim-a', b'')
out['kazoo_big'] = error_name(a.create, '/big', b'x' * (maxbuffer * 2))
out['other_session_ok'] = b.create('/lim-b', b'still here')
out['other_session_read'] = b.get('/lim-b')[0].decode()
out['big_not_created'] = b.exists('/big') is None
# kazoo reconnects with the same session: the session survived the dropped connection.
out['same_session_after'] = a.exists('/lim-a') is not None and session_hex(a) == sid
for p in ('/lim', '/lim-a', '/lim-b'):
    b.delete(p)
a.stop(); a.close(); b.stop(); b.close()

# maxClientCnxns: connections from one IP beyond the limit are closed at accept.
time.sleep(0.5)  # let the server finish closing the kazoo connections
socks, accepted = [], 0
for _ in range(max_cnxns + 2):
    try:
        s = socket.create_connection((host, int(port)), timeout=3)
        socks.append(s)
        s.sendall(struct.pack('>i', 45) + struct.pack('>iqiq', 0, 0, 10000, 0) + jstring(b'\0' * 16) + b'\0')
        accepted += 1 if len(s.recv(4)) == 4 else 0
    except OSError:
        pass  # refused, reset or closed: not accepted
out['accepted_connections'] = accepted
for s in socks:
    s.close()
emit(out)
