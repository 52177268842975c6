"""Create an ephemeral node, print the session (id, password hex), then hang until killed —
so the session ends without a closeSession, as a crashed client's does."""
import json, sys, time
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1], timeout=float(sys.argv[3]))
zk.start()
zk.create(sys.argv[2], b'alive', ephemeral=True, makepath=True)
sid, passwd = zk.client_id
print(json.dumps({'session': sid, 'passwd': passwd.hex(), 'timeout': zk._session_timeout}), flush=True)
time.sleep(600)
