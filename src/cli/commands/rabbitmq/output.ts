/**
 * rabbitmqctl 3.10.8's output: the table formatter (banner lines, a tab-separated header, rows
 * with Erlang-ish values for lists and arguments; no header when there are no rows), the JSON
 * formatter (`[\n{…}\n,{…}\n]`, argument tables as [key, type, value] triples), and -q/-s.
 */

export type Formatter = 'table' | 'json';

export interface OutputMode {
  formatter: Formatter;
  /** -q: no banner lines. */
  quiet: boolean;
  /** -s: no banner and no table header. */
  silent: boolean;
  /** --no-table-headers */
  noHeaders: boolean;
}

/** A cell's value as the table formatter prints it. */
export type Cell = string | number | boolean | null | Cell[] | { table: [string, Cell][] } | { tags: string[] }
  /** An Erlang tuple ({0,9,1}); an IP address, which the table prints as text and JSON as a tuple. */
  | { tuple: number[] } | { ip: string };

const write = (text: string) => process.stdout.write(text);

export function banner(mode: OutputMode, ...lines: string[]): void {
  if (mode.quiet || mode.silent || mode.formatter === 'json') return;
  for (const line of lines) write(`${line}\n`);
}

/** Erlang term text as rabbitmqctl prints list and table values: strings quoted inside
 *  structures, bare at the top level. */
function term(value: Cell, nested: boolean): string {
  if (value === null) return nested ? 'undefined' : '';
  if (Array.isArray(value)) return `[${value.map((v) => term(v, true)).join(',')}]`;
  if (typeof value === 'object' && 'tags' in value) return `[${value.tags.join(', ')}]`;
  if (typeof value === 'object' && 'tuple' in value) return `{${value.tuple.join(',')}}`;
  if (typeof value === 'object' && 'ip' in value) return value.ip;
  if (typeof value === 'object') return `[${value.table.map(([k, v]) => `{"${k}",${term(v, true)}}`).join(',')}]`;
  if (typeof value === 'string') return nested ? `"${value}"` : value;
  return String(value);
}

/** rabbit_mgmt's JSON → AMQP field type names, as the JSON formatter shows arguments. */
function typed(value: Cell): unknown {
  if (value === null) return ['void', null];
  if (typeof value === 'boolean') return ['bool', value];
  if (typeof value === 'number') return [Number.isInteger(value) ? 'long' : 'double', value];
  if (typeof value === 'string') return ['longstr', value];
  if (Array.isArray(value)) return ['array', Object.fromEntries(value.map((v) => typed(v) as [string, unknown]))];
  if ('tags' in value) return ['array', value.tags];
  if ('tuple' in value || 'ip' in value) return ['longstr', jsonValue(value)];
  return ['table', value.table.map(([k, v]) => [k, ...(typed(v) as unknown[])])];
}

function jsonValue(value: Cell): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if ('tags' in value) return value.tags;
    if ('tuple' in value) return value.tuple;
    // rabbitmqctl's JSON shows an IPv4 address as its tuple; anything else as text.
    if ('ip' in value) return /^\d+\.\d+\.\d+\.\d+$/.test(value.ip) ? value.ip.split('.').map(Number) : value.ip;
    return value.table.map(([k, v]) => [k, ...(typed(v) as unknown[])]);
  }
  return value;
}

/** The rows of a list verb in the chosen form. */
export function printRows(mode: OutputMode, columns: readonly string[], rows: readonly Cell[][]): void {
  if (mode.formatter === 'json') {
    const objects = rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, jsonValue(r[i]!)]))));
    write(objects.length === 0 ? '[\n]\n' : `[\n${objects.join('\n,')}\n]\n`);
    return;
  }
  if (rows.length === 0) return;
  if (!mode.silent && !mode.noHeaders) write(`${columns.join('\t')}\n`);
  for (const row of rows) write(`${row.map((v) => term(v, false)).join('\t')}\n`);
}

/** JSON arguments from the API as a table cell (sorted by key, as RabbitMQ stores them). */
export function argsCell(args: unknown): Cell {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return [];
  const entries = Object.entries(args as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { table: entries.map(([k, v]) => [k, toCell(v)]) };
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toCell);
  if (typeof v === 'object') return argsCell(v);
  return v as string | number | boolean;
}
