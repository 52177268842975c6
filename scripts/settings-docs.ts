/**
 * Rewrites README.md's settings tables from the declarations (core's and every personality's), so
 * the README cannot drift from the code: `npm run docs:settings`. test/core/settings-docs.test.ts
 * fails when README.md differs from what this would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { settingsGroups } from '../src/core/config.js';
import { SETTINGS_TABLE_END, SETTINGS_TABLE_START, settingsTables } from '../src/core/settings/usage.js';
import { PERSONALITIES } from '../src/personalities.js';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** README's text with the generated tables between the markers. */
export function readmeWithSettings(readme: string): string {
  const start = readme.indexOf(SETTINGS_TABLE_START);
  const end = readme.indexOf(SETTINGS_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${SETTINGS_TABLE_START} … ${SETTINGS_TABLE_END}`);
  return `${readme.slice(0, start + SETTINGS_TABLE_START.length)}\n\n${settingsTables(settingsGroups(PERSONALITIES))}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, readmeWithSettings(readFileSync(README, 'utf8')));
  process.stdout.write('README.md settings tables rewritten from the declarations\n');
}
