"""Shared bits for the kazoo compat scripts: each script prints ONE JSON document."""
import json
import sys

from kazoo.client import KazooClient


def client(hosts, timeout=10.0, **kw):
    """A started kazoo client (no retries: the tests want the server's first answer)."""
    zk = KazooClient(hosts=hosts, timeout=timeout, **kw)
    zk.start(timeout=15)
    return zk


def stat(st):
    """kazoo ZnodeStat -> dict with ZooKeeper's field names; ephemeralOwner as hex (64-bit)."""
    d = {k: getattr(st, k) for k in (
        'czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion',
        'dataLength', 'numChildren', 'pzxid')}
    d['ephemeralOwner'] = hex(st.ephemeralOwner)
    return d


def session_hex(zk):
    """Session ids exceed 2^53: JSON numbers would round them."""
    return hex(zk.client_id[0])


def error_name(fn, *args, **kw):
    """Call fn and return the exception class name ('' when it succeeds)."""
    try:
        fn(*args, **kw)
        return ''
    except Exception as e:  # noqa: BLE001 - the name IS the result
        return type(e).__name__


def emit(doc):
    json.dump(doc, sys.stdout, sort_keys=True)
    sys.stdout.write('\n')
