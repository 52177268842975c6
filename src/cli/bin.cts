/**
 * The `junction` bin. It runs the bundled CLI (junction-cli.cjs beside it) through node:vm with a
 * V8 code cache (junction-cli.cjs.cache), so a start deserialises compiled code instead of
 * parsing and compiling a megabyte of JavaScript — Node 22 does this with
 * module.enableCompileCache(); Node 20 needs it done here. The cache is made by the build
 * (scripts/bundle.mjs primes it with one start) and remade by a server start whenever V8 rejects
 * it (another Node version, a rebuilt bundle); a cache that cannot be written costs only speed.
 *
 * Only `start` writes it: the cache holds what the run that made it compiled, and V8 accepts it
 * later whatever that was. One made by a client command (`junction --help` compiles 0.3 of the
 * 0.77 MB a start does) would leave every later start compiling the rest itself, ~25 ms of CPU
 * (main thread to ready, medians of 5 in three alternated rounds: 273 / 273 / 266 against
 * 277 / 246 / 240 ms), and nothing would replace it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const file = join(__dirname, 'junction-cli.cjs');
const cacheFile = `${file}.cache`;

function readCache(): Buffer | undefined {
  try { return readFileSync(cacheFile); } catch { return undefined; }
}

/** Write the cache once the run has compiled what it uses: a second after start, or at exit. */
function saveCacheLater(script: Script): void {
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch { /* read-only install: run without a cache */ }
  };
  setTimeout(save, 1000).unref();
  process.once('exit', save);
}

const cachedData = readCache();
// The bundle is already the module function Node would wrap a CommonJS file in (scripts/bundle.mjs).
const script = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
if ((cachedData === undefined || script.cachedDataRejected) && process.argv[2] === 'start') saveCacheLater(script);
const cli = new Module(file, module);
cli.filename = file;
(script.runInThisContext() as (...args: unknown[]) => void).call(cli.exports, cli.exports, createRequire(file), cli, file, dirname(file));
