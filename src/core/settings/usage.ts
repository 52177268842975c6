import { declared, type Declared, type SettingsGroup } from './group.js';

/** How a default reads to a person: '' is "none", lists are comma-joined. */
function shownDefault(d: Declared): string {
  if (d.spec.defaultText !== undefined) return d.spec.defaultText;
  const v = d.spec.default;
  if (Array.isArray(v)) return v.join(',');
  return v === '' ? '' : String(v);
}

function flagWithArg(d: Declared): string {
  return d.spec.arg === null ? `--${d.flag} / --no-${d.flag}` : `--${d.flag} ${d.spec.arg}`;
}

/** The settings part of `junction start --help`: one line per setting, grouped by section. */
export function settingsUsage(groups: readonly SettingsGroup<object>[]): string {
  const out: string[] = [];
  for (const group of groups) {
    const native = declared(group).some((d) => d.spec.native) ? ` ([…] = ${nativeFileName(group)} name)` : '';
    out.push(`${group.title}${native}:`);
    for (const d of declared(group)) {
      const left = `  ${flagWithArg(d)}`;
      const def = shownDefault(d);
      const right = `${d.spec.help}${d.spec.native ? ` [${d.spec.native}]` : ''}${def ? ` (default ${def})` : ''}`;
      out.push(left.length < 36 ? `${left.padEnd(36)}${right}` : `${left}\n${' '.repeat(36)}${right}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function nativeFileName(group: SettingsGroup<object>): string {
  return group.nativeFile?.name ?? 'original\'s file';
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** README's settings tables (between the settings markers), one per group. */
export function settingsTables(groups: readonly SettingsGroup<object>[]): string {
  const out: string[] = [];
  for (const group of groups) {
    const ds = declared(group);
    const native = ds.some((d) => d.spec.native);
    out.push(`**${group.title}**${group.section ? ` — file section \`${group.section}\`` : ''}`, '');
    out.push(native ? `| flag | ${nativeFileName(group)} | default | meaning |` : '| flag | default | meaning |');
    out.push(native ? '|---|---|---|---|' : '|---|---|---|');
    for (const d of ds) {
      const def = shownDefault(d);
      const cells = [`\`${cell(flagWithArg(d))}\``, ...(native ? [d.spec.native ? `\`${d.spec.native}\`` : ''] : []),
        def ? `\`${cell(def)}\`` : '—', cell(d.spec.help)];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export const SETTINGS_TABLE_START = '<!-- settings:start (generated from the declarations: npm run docs:settings) -->';
export const SETTINGS_TABLE_END = '<!-- settings:end -->';
