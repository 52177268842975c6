"""ACLs with kazoo: digest, auth, ip and world schemes, each permission bit, invalid ACLs,
getACL/setACL aversion, and the super digest user (argv[2] = 'user:password' of the superDigest)."""
import sys

from kazoo.security import ACL, Id, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, Permissions, make_digest_acl

from common import client, emit, error_name

hosts, super_cred = sys.argv[1], sys.argv[2]
owner = client(hosts, auth_data=[('digest', 'alice:pw')])
other = client(hosts)
out = {}
owner.create('/acl', b'')

# digest: only the matching user gets in.
owner.create('/acl/digest', b'secret', acl=[make_digest_acl('alice', 'pw', all=True)])
out['digest_other_get'] = error_name(other.get, '/acl/digest')
out['digest_owner_get'] = owner.get('/acl/digest')[0].decode()
out['digest_exists_needs_no_perm'] = other.exists('/acl/digest') is not None

# auth scheme: expands to the creator's authenticated ids (here digest alice:<hash>).
owner.create('/acl/auth', b'', acl=[ACL(Permissions.ALL, Id('auth', ''))])
acls, st = owner.get_acls('/acl/auth')
out['auth_expanded'] = [[a.perms, a.id.scheme, a.id.id] for a in acls]
out['auth_without_credentials'] = error_name(other.create, '/acl/auth2', acl=[ACL(Permissions.ALL, Id('auth', ''))])

# world:anyone read-only: every other permission is refused.
owner.create('/acl/ro', b'r', acl=READ_ACL_UNSAFE)
out['ro_get'] = other.get('/acl/ro')[0].decode()
out['ro_set'] = error_name(other.set, '/acl/ro', b'x')
out['ro_create_child'] = error_name(other.create, '/acl/ro/c')
out['ro_set_acls'] = error_name(other.set_acls, '/acl/ro', OPEN_ACL_UNSAFE)
out['ro_get_acls'] = error_name(other.get_acls, '/acl/ro')

# One node per missing permission: the operation that needs it is refused with NoAuth.
ALL = Permissions.ALL
perm_ops = {
    'READ': lambda p: other.get(p), 'READ_children': lambda p: other.get_children(p),
    'WRITE': lambda p: other.set(p, b'x'), 'CREATE': lambda p: other.create(p + '/new'),
    'DELETE': lambda p: other.delete(p + '/kid'), 'ADMIN': lambda p: other.set_acls(p, OPEN_ACL_UNSAFE),
}
out['missing_perm'] = {}
for name, op in perm_ops.items():
    bit = getattr(Permissions, name.split('_')[0])
    path = '/acl/no-' + name
    owner.create(path, b'')
    owner.create(path + '/kid', b'')
    owner.set_acls(path, [ACL(ALL & ~bit, Id('world', 'anyone'))])
    out['missing_perm'][name] = error_name(op, path)
# No permission at all: even getACL is refused.
owner.create('/acl/none', b'', acl=[ACL(0, Id('world', 'anyone'))])
out['no_perms_get_acls'] = error_name(other.get_acls, '/acl/none')
out['no_perms_get'] = error_name(other.get, '/acl/none')

# ip scheme: the client's address (127.0.0.1) matches, another address does not.
owner.create('/acl/ip-ok', b'', acl=[ACL(ALL, Id('ip', '127.0.0.1'))])
owner.create('/acl/ip-net', b'', acl=[ACL(ALL, Id('ip', '127.0.0.0/8'))])
owner.create('/acl/ip-no', b'', acl=[ACL(ALL, Id('ip', '10.1.2.3'))])
out['ip'] = [error_name(other.get, '/acl/ip-ok'), error_name(other.get, '/acl/ip-net'), error_name(other.get, '/acl/ip-no')]

# Invalid ACLs.
out['invalid'] = {
    'unknown_scheme': error_name(owner.create, '/acl/bad1', acl=[ACL(ALL, Id('nosuch', 'x'))]),
    'world_not_anyone': error_name(owner.create, '/acl/bad2', acl=[ACL(ALL, Id('world', 'someone'))]),
    'digest_no_colon': error_name(owner.create, '/acl/bad3', acl=[ACL(ALL, Id('digest', 'nocolon'))]),
    'bad_ip': error_name(owner.create, '/acl/bad4', acl=[ACL(ALL, Id('ip', 'not-an-ip'))]),
    'set_acls_empty': error_name(owner.set_acls, '/acl/ro', []),
}

# setACL/getACL: aversion counts ACL changes; a wrong expected aversion is BadVersion, but the
# ADMIN check comes first (PrepRequestProcessor: checkACL before checkAndIncVersion).
owner.create('/acl/ver', b'')
v = {'start': owner.get_acls('/acl/ver')[1].aversion}
v['after_set'] = owner.set_acls('/acl/ver', OPEN_ACL_UNSAFE, version=0).aversion
v['bad_version'] = error_name(owner.set_acls, '/acl/ver', OPEN_ACL_UNSAFE, version=0)
v['after_second_set'] = owner.set_acls('/acl/ver', READ_ACL_UNSAFE, version=1).aversion
v['no_admin_and_bad_version'] = error_name(owner.set_acls, '/acl/ver', OPEN_ACL_UNSAFE, version=0)
acls, st = owner.get_acls('/acl/ver')
v['acls'] = [[a.perms, a.id.scheme, a.id.id] for a in acls]
v['data_version'] = st.version
out['aversion'] = v

# getACL needs READ or ADMIN; without ADMIN the digest hashes are masked (FinalRequestProcessor).
owner.create('/acl/masked', b'', acl=[make_digest_acl('alice', 'pw', all=True), ACL(Permissions.READ, Id('world', 'anyone'))])
out['masked_for_reader'] = [[a.perms, a.id.scheme, a.id.id] for a in other.get_acls('/acl/masked')[0]]
out['unmasked_for_admin'] = [[a.perms, a.id.scheme, a.id.id] for a in owner.get_acls('/acl/masked')[0]]

# addauth with an unknown scheme: AuthFailed, and the server drops the connection.
out['bad_auth_scheme'] = error_name(other.add_auth, 'nosuch', 'x')

# The super digest user passes every ACL check.
sup = client(hosts, auth_data=[('digest', super_cred)])
out['super'] = {'get': sup.get('/acl/digest')[0].decode(), 'set_none': error_name(sup.set, '/acl/none', b's'),
                'delete': error_name(sup.delete, '/acl/ip-no')}
out['wrong_super'] = error_name(client(hosts, auth_data=[('digest', 'super:wrong')]).get, '/acl/digest')
sup.delete('/acl', recursive=True)
for zk in (owner, other, sup):
    zk.stop()
    zk.close()
emit(out)
