"""A minimal raw-socket ZooKeeper client (jute framing) for what kazoo 2.8 cannot send:
addWatch (persistent / recursive watches), createContainer, createTTL, and paths kazoo
would normalise before sending. Wire formats: zookeeper-jute/src/main/resources/zookeeper.jute."""
import socket
import struct

# ZooDefs.OpCode
CREATE, DELETE, EXISTS, GET_DATA, SET_DATA, GET_CHILDREN2 = 1, 2, 3, 4, 5, 12
CREATE2, CREATE_CONTAINER, CREATE_TTL, ADD_WATCH, CLOSE = 15, 19, 21, 106, -11
OPEN_ACL_UNSAFE = [(31, 'world', 'anyone')]
STAT = struct.Struct('>qqqqiiiqiiq')  # org.apache.zookeeper.data.Stat, 68 bytes
STAT_FIELDS = ('czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion',
               'ephemeralOwner', 'dataLength', 'numChildren', 'pzxid')


def jstring(s):
    """jute ustring / buffer: int length + bytes; None is written as length -1."""
    if s is None:
        return struct.pack('>i', -1)
    b = s.encode('utf-8') if isinstance(s, str) else s
    return struct.pack('>i', len(b)) + b


def acl_vector(acls):
    out = struct.pack('>i', len(acls))
    for perms, scheme, ident in acls:
        out += struct.pack('>i', perms) + jstring(scheme) + jstring(ident)
    return out


def read_stat(body, off):
    return dict(zip(STAT_FIELDS, STAT.unpack_from(body, off))), off + STAT.size


class RawZk:
    """One session on one socket; requests are synchronous, watch events are queued."""

    def __init__(self, host, port, timeout_ms=10000, session_id=0, passwd=b'\0' * 16):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.xid = 0
        self.events = []  # (type, state, path) from xid -1 notifications
        # ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly
        self._send(struct.pack('>iqiq', 0, 0, timeout_ms, session_id) + jstring(passwd) + b'\0')
        body = self._recv()
        # ConnectResponse: protocolVersion, timeOut, sessionId, passwd (timeOut 0 = refused)
        _, self.timeout, self.session_id, plen = struct.unpack_from('>iiqi', body)
        self.passwd = body[20:20 + plen]

    def _send(self, payload):
        self.sock.sendall(struct.pack('>i', len(payload)) + payload)

    def _recv_exact(self, n):
        buf = b''
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError('server closed the connection')
            buf += chunk
        return buf

    def _recv(self):
        (n,) = struct.unpack('>i', self._recv_exact(4))
        return self._recv_exact(n)

    def request(self, op, body=b''):
        """Send one request; return (zxid, err, reply body). Notifications met meanwhile are queued."""
        self.xid += 1
        self._send(struct.pack('>ii', self.xid, op) + body)
        while True:
            reply = self._recv()
            xid, zxid, err = struct.unpack_from('>iqi', reply)
            if xid == -1:
                self._queue_event(reply[16:])
                continue
            return zxid, err, reply[16:]

    def _queue_event(self, body):
        etype, state, plen = struct.unpack_from('>iii', body)
        self.events.append((etype, state, body[12:12 + plen].decode('utf-8')))

    def wait_events(self, count, seconds=5.0):
        """Read notifications until `count` are queued (or the timeout passes)."""
        self.sock.settimeout(seconds)
        try:
            while len(self.events) < count:
                reply = self._recv()
                if struct.unpack_from('>i', reply)[0] == -1:
                    self._queue_event(reply[16:])
        except socket.timeout:
            pass
        finally:
            self.sock.settimeout(10)
        return [list(e) for e in self.events]

    # -- requests (each returns (err, result)) --
    def create(self, path, data=b'', flags=0, op=CREATE, ttl=None):
        body = jstring(path) + jstring(data) + acl_vector(OPEN_ACL_UNSAFE) + struct.pack('>i', flags)
        if ttl is not None:
            body += struct.pack('>q', ttl)
        _, err, reply = self.request(op, body)
        if err:
            return err, None
        (plen,) = struct.unpack_from('>i', reply)
        path = reply[4:4 + plen].decode('utf-8')
        if op == CREATE:  # CreateResponse: path
            return err, path
        # create2 / createContainer / createTTL answer a Create2Response: path, stat
        return err, {'path': path, 'stat': read_stat(reply, 4 + plen)[0]}

    def exists(self, path, watch=False):
        _, err, reply = self.request(EXISTS, jstring(path) + struct.pack('>?', watch))
        return err, (read_stat(reply, 0)[0] if not err else None)

    def get_data(self, path, watch=False):
        """(err, (data, stat)); data is None when the server sends a -1 length (null buffer)."""
        _, err, reply = self.request(GET_DATA, jstring(path) + struct.pack('>?', watch))
        if err:
            return err, None
        (n,) = struct.unpack_from('>i', reply)
        data = None if n < 0 else reply[4:4 + n]
        return err, (data, read_stat(reply, 4 + max(n, 0))[0])

    def get_children(self, path, watch=False):
        _, err, _ = self.request(GET_CHILDREN2, jstring(path) + struct.pack('>?', watch))
        return err, None

    def set_data(self, path, data, version=-1):
        _, err, _ = self.request(SET_DATA, jstring(path) + jstring(data) + struct.pack('>i', version))
        return err, None

    def delete(self, path, version=-1):
        _, err, _ = self.request(DELETE, jstring(path) + struct.pack('>i', version))
        return err, None

    def add_watch(self, path, mode):
        """mode: 0 = PERSISTENT, 1 = PERSISTENT_RECURSIVE (AddWatchMode)."""
        _, err, _ = self.request(ADD_WATCH, jstring(path) + struct.pack('>i', mode))
        return err, None

    def close(self):
        try:
            self.request(CLOSE)
        finally:
            self.sock.close()
