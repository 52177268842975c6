import { cpus, loadavg, totalmem } from 'node:os';

/** One line of the result table. A row without a target is informational. */
export interface Row {
  figure: string;
  value?: number;
  unit: string;
  target?: { op: '>=' | '<'; value: number };
  /** Load settings, latency, counts — whatever makes the figure reproducible. */
  note?: string;
  /** Set when the phase did not run correctly; the figure is then meaningless. */
  error?: string;
  /** Decimals for value and target (default: none from 100 up, else one). */
  digits?: number;
}

export function verdict(row: Row): 'pass' | 'MISS' | 'ERROR' | '—' {
  if (row.error) return 'ERROR';
  if (!row.target || row.value === undefined) return '—';
  const { op, value } = row.target;
  return (op === '>=' ? row.value >= value : row.value < value) ? 'pass' : 'MISS';
}

function formatNumber(n: number | undefined, digits?: number): string {
  if (n === undefined) return 'n/a';
  if (digits !== undefined) return n.toFixed(digits);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(1);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
}

export function formatTable(rows: Row[]): string {
  const header = ['figure', 'value', 'unit', 'target', 'result', 'notes'];
  const body = rows.map((r) => [
    r.figure, formatNumber(r.value, r.digits), r.unit,
    r.target ? `${r.target.op} ${formatNumber(r.target.value, r.digits)}` : '—',
    verdict(r), r.error ? `${r.error}${r.note ? `; ${r.note}` : ''}` : (r.note ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [pad(header, widths), rule, ...body.map((cells) => pad(cells, widths))].join('\n');
}

export function machineLine(): string {
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `Node ${process.version} ${process.platform}/${process.arch}; CPU ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}; ` +
    `RAM ${(totalmem() / 2 ** 30).toFixed(1)} GiB; load average ${load}`;
}

/** Published Nacos figures, for context only — different hardware, cluster sizes and protocols. */
export const NACOS_REFERENCE = [
  'Nacos reference figures (published by the Nacos project, not measured here):',
  '  Nacos 2.0 naming, 3 nodes × 8 cores: 26.8k instance registrations/s, 30.7k instance queries/s (gRPC clients)',
  '  Nacos config, per node: ~1.4–2.5k config publishes/s, ~15k config gets/s',
].join('\n');
