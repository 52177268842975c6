"""Against a server that enforces authentication: wrong and right credentials (argv[2] =
user:password from the user store). One JSON document. (kazoo 2.8 predates error -124, which the
anonymous case gets, so that case is checked with raw frames in auth.test.ts.)"""
import json, sys
from kazoo.client import KazooClient
from kazoo.security import make_digest_acl

hosts, cred = sys.argv[1], sys.argv[2]
user, password = cred.split(':', 1)
out = {}

def attempt(auth_data):
    zk = KazooClient(hosts=hosts, auth_data=auth_data, connection_retry={'max_tries': 0}, command_retry={'max_tries': 0})
    try:
        zk.start(timeout=5)
        zk.get('/')
        return zk, 'ok'
    except Exception as e:
        try: zk.stop()
        except Exception: pass
        return None, type(e).__name__

_, out['wrong_password'] = attempt([('digest', user + ':wrong')])
zk, out['right_password'] = attempt([('digest', cred)])
zk.create('/owned', b'mine', acl=[make_digest_acl(user, password, all=True)])
out['owner_reads'] = zk.get('/owned')[0].decode()
out['acl'] = [[a.id.scheme, a.id.id.split(':')[0]] for a in zk.get_acls('/owned')[0]]
zk.stop()
print(json.dumps(out))
