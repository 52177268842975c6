// Builds the `junction` bin into dist/bin/ (README: startup):
//   junction-cli.cjs  the CLI and server bundled by esbuild (minified, with a source map) as one
//                     CommonJS module function: one file
//                     instead of resolving and compiling hundreds of modules. Code behind a dynamic
//                     import() — a personality's code, the pretty log printer, the client
//                     commands — runs only when used.
//   junction.cjs      the bin: runs junction-cli.cjs with a V8 code cache (src/cli/bin.cts),
//   junction-cli.cjs.cache  primed here by one start of the server on free ports.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };

/**
 * Built-in modules that packages load when they are loaded, for features Junction never uses:
 * Fastify's lib/server.js loads https, http2 and dns for https/http2 servers and hostnames it is
 * never given (http2 alone costs about 14 ms of a start); prom-client's pushgateway loads https.
 * In the bundle they load on first use instead, behind a proxy.
 */
const LAZY_BUILTINS = [
  { importer: /fastify[\\/]lib[\\/]server\.js$/, modules: /^node:(https|http2|dns)$/ },
  { importer: /prom-client[\\/]lib[\\/]pushgateway\.js$/, modules: /^https$/ },
];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(https|http2|dns)$/ }, (args) =>
      (LAZY_BUILTINS.some((l) => l.importer.test(args.importer) && l.modules.test(args.path))
        ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require(${JSON.stringify(args.path)}))[key] });`,
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/bin/junction-cli.cjs',
  minify: true,
  // Stack traces map back to src/ with `node --enable-source-maps`.
  sourcemap: true,
  // The CRC-32C addon's platform packages hold a .node binary: resolved at run time from node_modules.
  // So do the Kafka CLI's codec addons (loaded only when a batch uses their codec).
  external: ['@node-rs/crc32-*', '*.node', 'snappy', 'lz4-napi', '@mongodb-js/zstd'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/import-meta-url.js'],
  plugins: [lazyBuiltins],
  // The file is a CommonJS module function, as Node would wrap it: the bin compiles the text
  // as it is, so V8 keeps one copy of the source (a 1 MB string), not the file plus a wrapped copy.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
});
await build({ ...common, entryPoints: ['src/cli/bin.cts'], outfile: 'dist/bin/junction.cjs', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/bin/junction.cjs', 0o755);
await primeCodeCache();

/** One start on free ports, stopped once ready: the bin writes the code cache as it exits. */
async function primeCodeCache() {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-prime-'));
  const help = await run(['start', '--help']);
  const ports = [...new Set(help.match(/--[a-z0-9-]+-port\b/g))].flatMap((flag) => [flag, '0']);
  try {
    await run(['start', '--data-dir', dataDir, '--log-format', 'json', ...ports], (line, child) => {
      if (line.includes('"msg":"junction ready"')) child.kill('SIGTERM');
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function run(args, onLine = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bin/junction.cjs', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    createInterface({ input: child.stdout }).on('line', (line) => { out += `${line}\n`; onLine(line, child); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`junction ${args[0]} exited with ${code ?? signal} while priming the code cache`));
    });
  });
}
