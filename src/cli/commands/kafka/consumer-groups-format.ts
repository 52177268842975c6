/**
 * The tables of kafka-consumer-groups.sh, printed with ConsumerGroupCommand's printf formats: a row
 * per line, each line (the header too) *preceded* by a newline, then one println at the end, so the
 * output starts with an empty line as Kafka's does.
 */
export interface OffsetRow {
  group: string; topic: string; partition: number;
  current: bigint | undefined; logEnd: bigint | undefined; lag: bigint | undefined;
  consumerId: string; host: string; clientId: string;
}

const MISSING = '-';

const pad = (text: string, width: number) => text.padEnd(width);
const show = (v: bigint | number | undefined) => (v === undefined ? MISSING : String(v));

/** printOffsets with printOffsetFormat: "%-G s %-T s %-10s %-15s %-15s %-15s %-C s %-H s %s", widths at least 15. */
export function offsetsTable(rows: readonly OffsetRow[]): string {
  const width = (pick: (r: OffsetRow) => string) => Math.max(15, ...rows.map((r) => pick(r).length));
  const [g, t, c, h] = [width((r) => r.group), width((r) => r.topic), width((r) => r.consumerId), width((r) => r.host)];
  const line = (cells: string[]) => `\n${pad(cells[0]!, g)} ${pad(cells[1]!, t)} ${pad(cells[2]!, 10)} ${pad(cells[3]!, 15)} ` +
    `${pad(cells[4]!, 15)} ${pad(cells[5]!, 15)} ${pad(cells[6]!, c)} ${pad(cells[7]!, h)} ${cells[8]!}`;
  const header = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
  const body = rows.map((r) => line([r.group, r.topic, String(r.partition), show(r.current), show(r.logEnd), show(r.lag), r.consumerId, r.host, r.clientId]));
  return `${header}${body.join('')}\n`;
}

export interface ResetRow { group: string; topic: string; partition: number; offset: bigint }

/** printOffsetsToReset: "%n%-30s %-30s %-10s %-15s" for the header and each row, then println. The
 *  header is printed when any group was handled, even one refused (its map is empty, not absent). */
export function resetTable(rows: readonly ResetRow[], groupsHandled = rows.length): string {
  const line = (cells: string[]) => `\n${pad(cells[0]!, 30)} ${pad(cells[1]!, 30)} ${pad(cells[2]!, 10)} ${pad(cells[3]!, 15)}`;
  const header = groupsHandled > 0 ? line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']) : '';
  return `${header}${rows.map((r) => line([r.group, r.topic, String(r.partition), String(r.offset)])).join('')}\n`;
}
