// Settings are declared once (in core and in each personality's folder); the start usage and the
// README's settings tables are made from those declarations and checked against them here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { settingsGroups } from '../../src/core/config.js';
import { declared } from '../../src/core/settings/group.js';
import { startUsage } from '../../src/cli/commands/start-usage.js';
import { PERSONALITIES } from '../../src/personalities.js';
import { README, readmeWithSettings } from '../../scripts/settings-docs.js';
import { runCli } from '../cli/run-cli.js';

const ALL = settingsGroups(PERSONALITIES).flatMap(declared);

test('every setting has one flag, one env name and one file key, none shared', () => {
  for (const key of ['flag', 'env', 'fileKey'] as const) {
    const names = ALL.map((d) => d[key]);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], `duplicate ${key}`);
  }
  for (const d of ALL) {
    assert.ok(d.spec.help.length > 0, `${d.flag} has a help line`);
    assert.deepEqual(d.spec.parse(d.spec.default), d.spec.default, `${d.flag}: its default passes its own check`);
  }
});

test('README.md settings tables are exactly what the declarations make (npm run docs:settings)', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, readmeWithSettings(readme), 'README.md is out of date: run npm run docs:settings');
  for (const d of ALL) assert.ok(readme.includes(`\`--${d.flag}`), `README lists --${d.flag}`);
});

test('`junction start --help` lists every declared flag with its help line, and nothing else', async () => {
  const r = await runCli(['start', '--help']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, startUsage(PERSONALITIES));
  for (const d of ALL) {
    assert.match(r.stdout, new RegExp(`--${d.flag}\\b`), d.flag);
    assert.ok(r.stdout.includes(d.spec.help), `help line of --${d.flag}`);
  }
  const flags = new Set([...r.stdout.matchAll(/--(?:no-)?([a-z0-9-]+)/g)].map((m) => m[1]));
  for (const flag of flags) assert.ok(flag === 'config' || ALL.some((d) => d.flag === flag), `--${flag} in usage is declared`);
});
