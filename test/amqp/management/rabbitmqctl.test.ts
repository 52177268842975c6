import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../cli/run-cli.js';
import { ADMIN, ADMIN_PASSWORD, openMgmt, type Mgmt } from './harness.js';

/** `junction rabbitmqctl` against Junction's own management routes (user store + FakeBroker),
 *  with --auth on: what it does to the shared user store. */
describe('junction rabbitmqctl against Junction\'s management API', () => {
  let m: Mgmt;
  let env: Record<string, string>;
  before(async () => {
    m = await openMgmt(true);
    await m.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = m.app.server.address() as AddressInfo;
    env = { JUNCTION_MGMT: `http://127.0.0.1:${port}`, JUNCTION_USERNAME: ADMIN, JUNCTION_PASSWORD: ADMIN_PASSWORD };
  });
  after(() => m.close());
  const ctl = (...args: string[]) => runCli(['rabbitmqctl', ...args], { env });

  it('adds a user once (exit 70 the second time) and sets its tags in the shared store', async () => {
    const added = await ctl('add_user', 'carol', 'c-pw');
    assert.equal(added.code, 0);
    assert.equal(added.stdout, 'Adding user "carol" ...\nDone. Don\'t forget to grant the user permissions to some virtual hosts! ' +
      "See 'rabbitmqctl help set_permissions' to learn more.\n");
    const again = await ctl('add_user', 'carol', 'x');
    assert.deepEqual([again.code, again.stderr], [70, 'Error:\nUser "carol" already exists\n']);
    assert.equal((await ctl('-q', 'set_user_tags', 'carol', 'management', 'policymaker')).code, 0);
    assert.deepEqual(m.users.rabbit.tagsOf('carol'), ['management', 'policymaker']);
    await m.users.authenticate('carol', 'c-pw'); // set_user_tags kept the password
    const users = await ctl('list_users', '-q');
    assert.equal(users.stdout, 'user\ttags\nadmin\t[administrator]\ncarol\t[management, policymaker]\n');
  });

  it('adds a vhost without granting the caller anything, sets and lists permissions', async () => {
    assert.equal((await ctl('add_vhost', 'deamo-vhost')).stdout, 'Adding vhost "deamo-vhost" ...\n');
    assert.ok(m.users.rabbit.vhostExists('deamo-vhost'));
    assert.equal(m.users.rabbit.permission(ADMIN, 'deamo-vhost'), undefined);
    assert.equal((await ctl('set_permissions', '-p', 'deamo-vhost', 'carol', '^c-', '.*', '')).code, 0);
    assert.ok(m.users.rabbit.permitted('carol', 'deamo-vhost', 'configure', { kind: 'queue', name: 'c-1' }));
    const perms = await ctl('list_permissions', '-p', 'deamo-vhost');
    assert.equal(perms.stdout, 'Listing permissions for vhost "deamo-vhost" ...\nuser\tconfigure\twrite\tread\ncarol\t^c-\t.*\t\n');
    const json = await ctl('list_user_permissions', 'carol', '--formatter', 'json');
    assert.deepEqual(JSON.parse(json.stdout), [{ vhost: 'deamo-vhost', configure: '^c-', write: '.*', read: '' }]);
    const noVhost = await ctl('set_permissions', '-p', 'nosuch', 'carol', '.*', '.*', '.*');
    assert.deepEqual([noVhost.code, noVhost.stderr], [69, 'Error:\nVirtual host nosuch does not exist\n']);
  });

  it('lists queues with columns and -p, purges and deletes them', async () => {
    await m.broker.declareQueue('deamo-vhost', 'jobs', { durable: true, autoDelete: false, arguments: { 'x-max-length': 10 } });
    await m.broker.publish('deamo-vhost', '', { routingKey: 'jobs', properties: {}, payload: Buffer.from('x') });
    const list = await ctl('list_queues', '-p', 'deamo-vhost', 'name', 'messages', 'durable', 'arguments');
    assert.equal(list.stdout, 'Timeout: 60.0 seconds ...\nListing queues for vhost deamo-vhost ...\n' +
      'name\tmessages\tdurable\targuments\njobs\t1\ttrue\t[{"x-max-length",10}]\n');
    assert.equal((await ctl('-s', 'list_queues', '-p', 'deamo-vhost')).stdout, 'jobs\t1\n');
    // Unlike the real rabbitmqctl (Erlang distribution, no permission checks), this one acts as
    // its API user: changing a vhost's objects needs a permission there, as the API demands.
    const refused = await ctl('purge_queue', '-p', 'deamo-vhost', 'jobs');
    assert.equal(refused.code, 69);
    assert.match(refused.stderr, /User not authorised to access virtual host/);
    await ctl('set_permissions', '-p', 'deamo-vhost', ADMIN, '.*', '.*', '.*');
    assert.equal((await ctl('purge_queue', '-p', 'deamo-vhost', 'jobs')).code, 0);
    const deleted = await ctl('delete_queue', '-p', 'deamo-vhost', 'jobs');
    assert.equal(deleted.stdout, "Deleting queue 'jobs' on vhost 'deamo-vhost' ...\nQueue was successfully deleted with 0 ready messages\n");
    const missing = await ctl('delete_queue', '-p', 'deamo-vhost', 'jobs');
    assert.deepEqual([missing.code, missing.stderr], [64, 'Error:\nQueue not found\n']);
  });

  it('refuses wrong credentials (69) and deleting the default vhost (70)', async () => {
    const bad = await runCli(['rabbitmqctl', 'list_users'], { env: { ...env, JUNCTION_PASSWORD: 'wrong' } });
    assert.equal(bad.code, 69);
    assert.match(bad.stderr, /Login failed/);
    const root = await ctl('delete_vhost', '/');
    assert.equal(root.code, 70);
    assert.ok(m.users.rabbit.vhostExists('/'));
  });

  it('rabbitmq-plugins list answers what is built in', async () => {
    const minimal = await runCli(['rabbitmq-plugins', 'list', '-q', '-m', '-e']);
    assert.equal(minimal.stdout, 'rabbitmq_management\nrabbitmq_management_agent\nrabbitmq_web_dispatch\n');
    const enabled = await runCli(['rabbitmq-plugins', 'list', '-q', '-E']);
    assert.equal(enabled.stdout, '[E*] rabbitmq_management 3.10.8\n');
    assert.equal((await runCli(['rabbitmq-plugins', 'enable', 'rabbitmq_mqtt'])).code, 2);
  });
});
