// The Kafka tools load only when one runs: `junction kafka --help` evaluates none of the Kafka
// client or protocol code, and `junction --help` not even the kafka command module. Checked on the
// compiled modules (dist/src) with a module-resolution hook that reports every module loaded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

describe('junction kafka loads lazily', () => {
  let dir: string;
  let register: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'junction-lazy-'));
    writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes('/dist/src/')) process.stderr.write('loaded ' + r.url.slice(r.url.indexOf('/dist/src/') + 10) + '\\n');
  return r;
}\n`);
    register = join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The dist/src modules a run of `junction ARGS` loads. */
  function loaded(args: string[]): Promise<string[]> {
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', pathToFileURL(register).href, MAIN, ...args], { timeout: 20_000 }, (err, _stdout, stderr) => {
        if (err) reject(err);
        else resolve(stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice(7)));
      });
    });
  }

  it('`junction --help` loads no kafka module; `junction kafka --help` none of src/kafka', async () => {
    const top = await loaded(['--help']);
    assert.ok(top.includes('cli/main.js'), top.join(' '));
    assert.deepEqual(top.filter((m) => m.includes('kafka')), []);
    const kafka = await loaded(['kafka', '--help']);
    assert.ok(kafka.includes('cli/commands/kafka/index.js'), kafka.join(' '));
    assert.deepEqual(kafka.filter((m) => m.startsWith('kafka/') || m.includes('commands/kafka/topics')), []);
  });

  it('`junction kafka topics --help` loads that tool and the client, not the other tools', async () => {
    const modules = await loaded(['kafka', 'topics', '--help']);
    assert.ok(modules.includes('kafka/client/connection.js'), modules.join(' '));
    assert.deepEqual(modules.filter((m) => /console-|consumer-groups/.test(m)), []);
  });
});
