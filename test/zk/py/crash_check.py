"""After the restart: list what survived, and create one more node to see the zxid continue."""
import json, sys
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
prefix = sys.argv[2]
children = zk.get_children(prefix)
after = zk.create(prefix + '/after-restart')
print(json.dumps({'children': children, 'after_czxid': zk.exists(after).czxid,
                  'max_czxid': max(zk.exists(prefix + '/' + c).czxid for c in children if c.startswith('n-'))}))
zk.stop()
