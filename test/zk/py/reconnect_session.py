"""Try to resume a session by id + password; report whether kazoo saw it expire."""
import json, sys
from kazoo.client import KazooClient
from kazoo.protocol.states import KazooState
from kazoo.exceptions import SessionExpiredError
states = []
zk = KazooClient(hosts=sys.argv[1], client_id=(int(sys.argv[2]), bytes.fromhex(sys.argv[3])),
                 connection_retry={'max_tries': 2, 'delay': 0.1})
zk.add_listener(lambda s: states.append(str(s)))
try:
    zk.start(timeout=10)
    result = {'connected': True, 'session_kept': zk.client_id[0] == int(sys.argv[2])}
except Exception as e:  # kazoo raises when the server answers the resume with expiry
    result = {'connected': False, 'error': type(e).__name__}
result['states'] = states
print(json.dumps(result))
zk.stop()
