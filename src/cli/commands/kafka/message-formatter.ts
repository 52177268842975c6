/**
 * Kafka's DefaultMessageFormatter (tools/…/consumer/DefaultMessageFormatter.java): the columns
 * print.timestamp, print.partition, print.offset, print.headers, print.key, print.value in that
 * order, separated by key.separator (tab), each record ended by line.separator (newline), null
 * bytes printed as null.literal ("null"). Deserializers other than raw bytes are not offered.
 */
import type { ConsumedRecord } from '../../../kafka/client/records.js';
import { isTrue } from './common.js';

export class MessageFormatter {
  private readonly printTimestamp: boolean;
  private readonly printKey: boolean;
  private readonly printValue: boolean;
  private readonly printPartition: boolean;
  private readonly printOffset: boolean;
  private readonly printHeaders: boolean;
  private readonly keySeparator: Buffer;
  private readonly lineSeparator: Buffer;
  private readonly headersSeparator: Buffer;
  private readonly nullLiteral: Buffer;

  constructor(props: Map<string, string>) {
    const flag = (name: string, fallback: boolean) => (props.has(name) ? isTrue(props.get(name)) : fallback);
    const bytes = (name: string, fallback: string) => Buffer.from(props.get(name) ?? fallback, 'utf8');
    this.printTimestamp = flag('print.timestamp', false);
    this.printKey = flag('print.key', false);
    this.printValue = flag('print.value', true);
    this.printPartition = flag('print.partition', false);
    this.printOffset = flag('print.offset', false);
    this.printHeaders = flag('print.headers', false);
    this.keySeparator = bytes('key.separator', '\t');
    this.lineSeparator = bytes('line.separator', '\n');
    this.headersSeparator = bytes('headers.separator', ',');
    this.nullLiteral = bytes('null.literal', 'null');
  }

  /** The bytes DefaultMessageFormatter.writeTo prints for `r`. */
  format(r: ConsumedRecord): Buffer {
    const parts: Buffer[] = [];
    // Each column is followed by the column separator when a later column is printed, else by the
    // line separator (writeSeparator(output, columnSeparator)).
    const columns: Array<[boolean, () => Buffer]> = [
      [this.printTimestamp, () => Buffer.from(`${r.timestampType}:${r.timestamp}`)],
      [this.printPartition, () => Buffer.from(`Partition:${r.partition}`)],
      [this.printOffset, () => Buffer.from(`Offset:${r.offset}`)],
      [this.printHeaders, () => this.headers(r)],
      [this.printKey, () => r.key ?? this.nullLiteral],
      [this.printValue, () => r.value ?? this.nullLiteral],
    ];
    const shown = columns.filter(([on]) => on);
    shown.forEach(([, text], i) => {
      parts.push(text());
      const last = i === shown.length - 1;
      // The value column always ends the line; the others end it only when nothing follows.
      parts.push(last ? this.lineSeparator : this.keySeparator);
    });
    return Buffer.concat(parts);
  }

  private headers(r: ConsumedRecord): Buffer {
    if (r.headers.length === 0) return Buffer.from('NO_HEADERS');
    const parts: Buffer[] = [];
    r.headers.forEach(([k, v], i) => {
      if (i > 0) parts.push(this.headersSeparator);
      parts.push(Buffer.from(`${k}:`, 'utf8'), v ?? this.nullLiteral);
    });
    return Buffer.concat(parts);
  }
}
