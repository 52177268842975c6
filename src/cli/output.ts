/** How commands print: aligned tables for people, JSON for scripts (`--json`). */

export interface Column<R> { header: string; value: (row: R) => unknown }

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Progress and notes go to stderr, so stdout stays clean for pipes. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell(c.value(r))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n') + '\n';
}

export function printTable<R>(rows: readonly R[], columns: readonly Column<R>[]): void {
  process.stdout.write(formatTable(rows, columns));
}

/** `key  value` lines, keys aligned (for one object such as `status`). */
export function printFields(fields: readonly [string, unknown][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  process.stdout.write(fields.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n') + '\n');
}

/** Epoch milliseconds (or a date string) as local ISO-like text. */
export function formatTime(value: unknown): string {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    return new Date(Number(value)).toISOString();
  }
  return cell(value);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', `${s % 60}s`].filter(Boolean).join(' ');
}
