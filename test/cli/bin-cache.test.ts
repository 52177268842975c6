// The `junction` bin's V8 code cache (src/cli/bin.cts): written by a server start when there is
// none or V8 rejects it, never by a client command, whose cache would hold a fraction of what a
// start compiles and would then be accepted by every later start.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, startChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';

let dir: string;
let bin: string;
let cache: string;

before(() => {
  // Beside dist/bin/, so the bundle's external modules resolve from the project's node_modules.
  dir = mkdtempSync(join(dirname(dirname(CLI)), 'bin-cache-test-'));
  for (const f of ['junction.cjs', 'junction-cli.cjs']) copyFileSync(join(dirname(CLI), f), join(dir, f));
  bin = join(dir, 'junction.cjs');
  cache = join(dir, 'junction-cli.cjs.cache');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function help(): Promise<void> {
  return new Promise((resolve, reject) => execFile(process.execPath, [bin, '--help'], { timeout: 20_000 },
    (err) => (err ? reject(err) : resolve())));
}

/** A start to ready and a clean stop: the bin writes the cache as the process exits, if it writes it. */
async function startAndStop(): Promise<void> {
  const dataDir = tempDir();
  try {
    const server = await startChildServer(['--data-dir', dataDir, '--enable', 'zk'], {}, [], [], bin);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('a client command leaves a missing cache missing; a start writes it', { timeout: 60_000 }, async () => {
  await help();
  assert.equal(existsSync(cache), false, '--help wrote no cache');
  await startAndStop();
  assert.ok(existsSync(cache), 'the start wrote the cache');
});

test('a cache V8 rejects is left to the next start, which replaces it', { timeout: 60_000 }, async () => {
  const rejected = Buffer.from('not a V8 code cache');
  writeFileSync(cache, rejected);
  await help();
  assert.ok(readFileSync(cache).equals(rejected), '--help left the rejected cache as it was');
  await startAndStop();
  assert.ok(!readFileSync(cache).equals(rejected) && readFileSync(cache).length > 100_000, 'the start replaced it with a real one');
});
