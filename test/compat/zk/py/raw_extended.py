"""Container and TTL znodes (createContainer = 19, createTTL = 21, which kazoo 2.8 cannot send),
null versus empty data, and the paths kazoo would normalise before sending. Error codes are
KeeperException.Code numbers (-8 BadArguments, -101 NoNode)."""
import json
import sys
import time

from zkraw import CREATE2, CREATE_CONTAINER, CREATE_TTL, RawZk

host, port = sys.argv[1].rsplit(':', 1)
z = RawZk(host, int(port))
out = {}


def wait_gone(path, seconds=10.0):
    """Seconds until `path` disappears (None if it is still there after `seconds`)."""
    start = time.time()
    while time.time() - start < seconds:
        if z.exists(path)[0] == -101:
            return round(time.time() - start, 1)
        time.sleep(0.2)
    return None


# Containers (CreateMode.CONTAINER = 4).
out['container'] = z.create('/ct', b'c', flags=4, op=CREATE_CONTAINER)
z.create('/ct-never-used', flags=4, op=CREATE_CONTAINER)
z.create('/ct/a')
out['container_child_stat'] = z.exists('/ct')[1]
z.delete('/ct/a')
out['container_removed_after_s'] = wait_gone('/ct')
out['unused_container_kept'] = z.exists('/ct-never-used')[0]

# TTL nodes (PERSISTENT_WITH_TTL = 5, PERSISTENT_SEQUENTIAL_WITH_TTL = 6).
out['ttl'] = z.create('/tt', b't', flags=5, op=CREATE_TTL, ttl=500)
out['ttl_sequential'] = z.create('/tts-', flags=6, op=CREATE_TTL, ttl=60000)[1]['path']
z.create('/tt-parent', flags=5, op=CREATE_TTL, ttl=500)
z.create('/tt-parent/kid')
out['ttl_removed_after_s'] = wait_gone('/tt')
out['ttl_with_child_kept'] = z.exists('/tt-parent')[0]
z.delete('/tt-parent/kid')
out['ttl_parent_removed_after_s'] = wait_gone('/tt-parent')
out['ttl_errors'] = {
    'zero': z.create('/tx', flags=5, op=CREATE_TTL, ttl=0)[0],
    'too_big': z.create('/tx', flags=5, op=CREATE_TTL, ttl=(1 << 40))[0],
    'not_ttl_mode': z.create('/tx', flags=0, op=CREATE_TTL, ttl=1000)[0],
    'ttl_mode_without_ttl_op': z.create('/tx', flags=5, op=CREATE2)[0],
    'max_ok': z.create('/tx', flags=5, op=CREATE_TTL, ttl=(1 << 40) - 1)[0],
}
z.delete('/tx')

# null data (buffer length -1) is stored and returned as null; b'' stays empty.
z.create('/null-data', None)
z.create('/empty-data', b'')
null_data, null_stat = z.get_data('/null-data')[1]
empty_data, _ = z.get_data('/empty-data')[1]
out['null_data'] = {'null': null_data is None, 'dataLength': null_stat['dataLength'], 'empty': empty_data == b''}

# Path validation order: create looks up the parent first, then validates the full path.
z.create('/bp')
out['paths'] = {p: {'create': z.create(p)[0], 'get': z.get_data(p)[0], 'delete': z.delete(p)[0],
                    'set': z.set_data(p, b'x')[0]}
                for p in ('/bp//b', '/bp/.', '/bp/', '/bp/x/', '/nope//b', 'rel')}
out['sequential_trailing_slash'] = z.create('/bp/', flags=2)[1]
out['exists_empty_path'] = z.exists('')[0]
for p in ('/bp/0000000000', '/bp', '/ct-never-used', '/null-data', '/empty-data', out['ttl_sequential']):
    z.delete(p)
z.close()
print(json.dumps(out, sort_keys=True))
