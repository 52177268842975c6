import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { closedPort, runCli, serverEnv } from './run-cli.js';

describe('junction nacos config', () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = serverEnv(server);
  });
  after(() => server.destroy());

  it('set, get (plain and --json), delete, then get fails with the server answer', async () => {
    const set = await runCli(['nacos', 'config', 'set', 'app.yaml', 'port: 8080', '--group', 'G1', '--type', 'yaml'], { env });
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /published app\.yaml \(group G1\)/);

    const get = await runCli(['nacos', 'config', 'get', 'app.yaml', '--group', 'G1'], { env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, 'port: 8080\n');

    const json = await runCli(['nacos', 'config', 'get', 'app.yaml', '--group', 'G1', '--json'], { env });
    const body = JSON.parse(json.stdout) as Record<string, string>;
    assert.equal(body.content, 'port: 8080');
    assert.equal(body.dataId, 'app.yaml');
    assert.equal(body.group, 'G1');

    // The same config as the server itself answers it.
    const raw = await fetch(`${server.nacos}/nacos/v1/cs/configs?dataId=app.yaml&group=G1`);
    assert.equal(await raw.text(), 'port: 8080');

    const del = await runCli(['nacos', 'config', 'delete', 'app.yaml', '--group', 'G1'], { env });
    assert.equal(del.code, 0, del.stderr);
    const gone = await runCli(['nacos', 'config', 'get', 'app.yaml', '--group', 'G1'], { env });
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^junction: GET \/nacos\/v1\/cs\/configs failed: HTTP 404/);
    assert.equal(gone.stderr.trim().split('\n').length, 1, 'one-line error');
  });

  it('content that looks like a Nacos error envelope is still just content', async () => {
    const content = '{"code":500,"message":"not an error"}';
    assert.equal((await runCli(['nacos', 'config', 'set', 'envelope.json', content, '--type', 'json'], { env })).code, 0);
    const get = await runCli(['nacos', 'config', 'get', 'envelope.json'], { env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout, `${content}\n`);
  });

  it('set reads the content from stdin with --file -', async () => {
    const set = await runCli(['nacos', 'config', 'set', 'stdin.txt', '--file', '-'], { env, input: 'line1\nline2\n' });
    assert.equal(set.code, 0, set.stderr);
    const get = await runCli(['nacos', 'config', 'get', 'stdin.txt', '--json'], { env });
    assert.equal((JSON.parse(get.stdout) as { content: string }).content, 'line1\nline2\n');
  });

  it('history lists every version, newest first, in a table and as JSON', async () => {
    for (const v of ['v1', 'v2', 'v3']) {
      const r = await runCli(['nacos', 'config', 'set', 'hist.properties', `version=${v}`], { env });
      assert.equal(r.code, 0, r.stderr);
    }
    const table = await runCli(['nacos', 'config', 'history', 'hist.properties'], { env });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ID\s+OP\s+MODIFIED\s+USER\s+IP$/);
    assert.equal(lines.length, 1 + 3 + 1, table.stdout);
    assert.match(lines[1]!, /\bupdate\b/);
    assert.match(lines[3]!, /\binsert\b/);
    assert.match(lines.at(-1)!, /^3 version\(s\) of hist\.properties/);

    const json = await runCli(['nacos', 'config', 'history', 'hist.properties', '--json', '--page-size', '2'], { env });
    const page = JSON.parse(json.stdout) as { totalCount: number; pageItems: { dataId: string }[] };
    assert.equal(page.totalCount, 3);
    assert.equal(page.pageItems.length, 2);
    assert.ok(page.pageItems.every((h) => h.dataId === 'hist.properties'));

    // Nacos keeps the content *before* an update in its history entry.
    const newest = (page.pageItems[0] as unknown as { id: string | number }).id;
    const entry = await runCli(['nacos', 'config', 'history', 'hist.properties', '--id', String(newest)], { env });
    assert.equal(entry.code, 0, entry.stderr);
    assert.equal(entry.stdout, 'version=v2\n');
    const missing = await runCli(['nacos', 'config', 'history', 'hist.properties', '--id', '99999'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no version 99999 of hist\.properties/);
  });

  for (const tenant of ['', 'dev-ns']) {
    it(`listen --once prints the content published while it waits (tenant ${JSON.stringify(tenant)})`, async () => {
      const scope = tenant ? ['--tenant', tenant] : [];
      const listening = runCli(['nacos', 'config', 'listen', 'live.json', '--once', '--timeout', '5000', ...scope],
        { env, timeoutMs: 30_000 });
      // Publish after the listener has read the current md5 (it says what it waits for on stderr);
      // a publish before that is its baseline by design, so keep publishing until it reports one.
      let done = false;
      void listening.then(() => { done = true; });
      for (let i = 0; i < 50 && !done; i++) {
        await new Promise((r) => setTimeout(r, 200));
        await runCli(['nacos', 'config', 'set', 'live.json', `{"n":${i}}`, ...scope], { env });
      }
      const result = await listening;
      assert.equal(result.code, 0, result.stderr);
      const where = tenant ? `live\\.json \\(group DEFAULT_GROUP, tenant ${tenant}\\)` : 'live\\.json \\(group DEFAULT_GROUP\\)';
      assert.match(result.stderr, new RegExp(`waiting for changes to ${where}`));
      assert.match(result.stdout, /^\{"n":\d+\}\n$/);
    });
  }

  it('fails with exit 1 and a one-line message when the server is unreachable', async () => {
    const port = await closedPort();
    const r = await runCli(['nacos', 'config', 'get', 'x', '--server', `http://127.0.0.1:${port}`], {});
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `junction: cannot reach http://127.0.0.1:${port} (GET /nacos/v1/cs/configs): ECONNREFUSED\n`);
  });
});
