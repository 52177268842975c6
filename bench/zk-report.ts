/**
 * The comparison table: one row per figure, Junction beside ZooKeeper, the ratio Junction ÷
 * ZooKeeper, and the issue's target (a ratio, or an absolute bound on Junction's figure).
 */

export type ZkTarget =
  | { on: 'ratio'; op: '>=' | '<='; value: number }
  | { on: 'junction'; op: '<'; value: number };

export interface ZkRow {
  figure: string;
  unit: string;
  junction?: number;
  zookeeper?: number;
  target?: ZkTarget;
  note?: string;
  /** The figure could not be measured correctly (for either server); it is then meaningless. */
  error?: string;
}

export type Verdict = 'pass' | 'MISS' | 'ERROR' | '—';

export function ratio(row: ZkRow): number | undefined {
  if (row.junction === undefined || row.zookeeper === undefined || !(row.zookeeper > 0)) return undefined;
  return row.junction / row.zookeeper;
}

export function verdict(row: ZkRow): Verdict {
  if (row.error) return 'ERROR';
  const t = row.target;
  if (!t) return '—';
  const v = t.on === 'ratio' ? ratio(row) : row.junction;
  if (v === undefined || Number.isNaN(v)) return '—';
  const ok = t.op === '>=' ? v >= t.value : t.op === '<=' ? v <= t.value : v < t.value;
  return ok ? 'pass' : 'MISS';
}

function formatNumber(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return 'n/a';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function formatTarget(t: ZkTarget | undefined): string {
  if (!t) return '—';
  const op = t.op === '>=' ? '≥' : t.op === '<=' ? '≤' : '<';
  return t.on === 'ratio' ? `${op} ${t.value}×` : `J ${op} ${formatNumber(t.value)}`;
}

const NUMERIC = new Set([2, 3, 4]);

export function formatZkTable(rows: ZkRow[]): string {
  const header = ['figure', 'unit', 'Junction', 'ZooKeeper', 'ratio', 'target', 'result', 'notes'];
  const body = rows.map((r) => {
    const q = ratio(r);
    return [
      r.figure, r.unit, formatNumber(r.junction), formatNumber(r.zookeeper), q === undefined ? 'n/a' : `${q.toFixed(2)}×`,
      formatTarget(r.target), verdict(r), r.error ? `${r.error}${r.note ? `; ${r.note}` : ''}` : (r.note ?? ''),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (NUMERIC.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
