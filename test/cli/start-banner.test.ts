// What a person sees: on a terminal `junction start` prints a banner (version, data dir, each
// personality with where to connect, auth, where a generated admin password went) and readable
// log lines; with stdout not a terminal, or --log-format json, one JSON object per line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FRESH_PORT_FLAGS } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';
import { CLI } from './run-cli.js';

/** Run `junction start` (in `script`, so stdout is a terminal, when `tty`), until `done(output)`. */
async function startUntil(args: string[], tty: boolean, done: (out: string) => boolean): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, JUNCTION_ADMIN_PASSWORD: '' };
  const command = [process.execPath, CLI, 'start', ...FRESH_PORT_FLAGS, ...args];
  const child = tty
    ? spawn('script', ['-qfec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = once(child, 'exit');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 15 s:\n${out}`)), 15_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (done(out)) { clearTimeout(timer); resolve(); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', () => { clearTimeout(timer); reject(new Error(`exited early:\n${out}`)); });
    });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

describe('junction start output', () => {
  it('on a terminal: a banner with every personality, auth, the password file; readable log lines', async () => {
    const dataDir = tempDir();
    try {
      const out = await startUntil(['--data-dir', dataDir, '--auth', '--bind', '127.0.0.1'], true, (o) => o.includes('Ctrl-C stops the server.'));
      const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
      assert.match(out, new RegExp(`Junction ${version.replace(/\./g, '\\.')}\\s+data ${dataDir} \\(fsync batch\\)\\s+auth on`));
      assert.match(out, /Nacos 2\.x\s+http:\/\/127\.0\.0\.1:\d+\/nacos/);
      assert.match(out, /ZooKeeper 3\.8\s+127\.0\.0\.1:\d+/);
      assert.match(out, /admin\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(out, /amqp:\/\/127\.0\.0\.1:\d+ {3}management http:\/\/127\.0\.0\.1:\d+/);
      const file = join(dataDir, 'auth', 'initial-admin-password');
      assert.ok(out.includes(`initial admin "nacos": generated password written to ${file}`), out);
      assert.ok(!out.includes(readFileSync(file, 'utf8').trim()), 'the password itself is not printed');
      assert.match(out, /INFO.*junction ready/);
      assert.ok(!/^\{"level"/m.test(out), 'no JSON lines on a terminal');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('not a terminal, or --log-format json: JSON lines and no banner', async () => {
    for (const [tty, extra] of [[false, []], [true, ['--log-format', 'json']]] as const) {
      const dataDir = tempDir();
      try {
        const out = await startUntil(['--data-dir', dataDir, ...extra], tty, (o) => o.includes('"msg":"junction ready"'));
        const ready = out.split(/\r?\n/).find((l) => l.includes('"msg":"junction ready"'))!;
        const event = JSON.parse(ready) as { level: number; ports: Record<string, number> };
        assert.equal(event.level, 30);
        assert.deepEqual(Object.keys(event.ports).sort(), ['admin', 'amqp', 'amqpManagement', 'kafka', 'nacos', 'nacosGrpc', 'zk']);
        assert.ok(!out.includes('Ctrl-C stops the server.'), 'no banner');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });
});
