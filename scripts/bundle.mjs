// Builds the `junction` bin: the CLI and server bundled by esbuild into dist/bin/, with source maps.
// One parse of a few minified files instead of resolving and compiling hundreds of modules is most
// of a fast start (README: startup). Code behind a dynamic import() — a personality's code, the
// pretty log printer, the client commands — becomes a chunk loaded only when used.
import { build } from 'esbuild';

await build({
  entryPoints: { junction: 'src/cli/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Stack traces map back to src/ with `node --enable-source-maps`.
  sourcemap: true,
  // The CRC-32C addon's platform packages hold a .node binary: resolved at run time from node_modules.
  external: ['@node-rs/crc32-*', '*.node'],
  // Bundled CommonJS packages call require() (node: built-ins, the addon): give the ES module one.
  banner: { js: "import { createRequire as __junctionRequire } from 'node:module'; const require = __junctionRequire(import.meta.url);" },
  logLevel: 'warning',
});
