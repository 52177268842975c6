import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';
import { runCli } from './run-cli.js';

describe('junction start', () => {
  it('starts, answers /health, and exits 0 on SIGTERM after a graceful stop', async () => {
    const dataDir = tempDir();
    const server = await startChildServer(['--data-dir', dataDir]);
    try {
      const health = await fetch(`http://127.0.0.1:${server.ports.admin}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'UP' });
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const [code, signal] = await exited as [number | null, string | null];
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.ok(server.output.some((l) => l.includes('"msg":"junction stopped"')), server.output.join('\n'));
    } finally {
      await killHard(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 0 on SIGINT (Ctrl-C) too', async () => {
    const dataDir = tempDir();
    const server = await startChildServer(['--data-dir', dataDir]);
    try {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGINT');
      assert.deepEqual(await exited, [0, null]);
    } finally {
      await killHard(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses --bind 0.0.0.0 without --auth, explaining why, with exit code 1', async () => {
    const dataDir = tempDir();
    try {
      const r = await runCli(['start', '--data-dir', dataDir, '--bind', '0.0.0.0', '--nacos-port', '0', '--admin-port', '0']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 with auth disabled/);
      assert.match(r.stderr, /--auth/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects --fsync sometimes naming the setting and the allowed values', async () => {
    const dataDir = tempDir();
    try {
      const r = await runCli(['start', '--data-dir', dataDir, '--fsync', 'sometimes']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^junction: --fsync: expected always, batch or never, got "sometimes"\n$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a data dir that cannot be created fails at once naming it (Node\'s recursive mkdir spun forever under /proc)', async () => {
    const r = await runCli(['start', '--data-dir', '/proc/junction-nope/data', '--nacos-port', '0', '--admin-port', '0'], { timeoutMs: 10_000 });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, /cannot create data dir \/proc\/junction-nope\/data: ENOENT/);
  });

  it('an unknown start flag is a usage error (exit 2)', async () => {
    const r = await runCli(['start', '--turbo']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option '--turbo'/);
    assert.match(r.stderr, /usage: junction start/);
  });
});
