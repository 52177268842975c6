/**
 * The console consumer's stdout: formatted records written in one chunk per poll, waiting for the
 * pipe to drain, and counted only once written. A closed reader (EPIPE, e.g. `| head`) ends the run
 * as ConsoleConsumer.checkErr does: "Unable to write to standard out, closing consumer.".
 */
import { KafkaToolFailure } from './common.js';

export class ConsoleOutput {
  count = 0;
  private broken = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', () => { this.broken = true; });
  }

  /** Writes the records' text; resolves with how many were written. */
  async write(records: Buffer[]): Promise<number> {
    if (this.broken) throw new KafkaToolFailure('Unable to write to standard out, closing consumer.', 1);
    const more = this.stream.write(Buffer.concat(records));
    this.count += records.length;
    if (!more) await new Promise<void>((resolve) => { this.stream.once('drain', resolve); this.stream.once('error', () => resolve()); });
    return records.length;
  }

  async end(): Promise<void> {
    if (this.broken || this.stream.writableLength === 0) return;
    await new Promise<void>((resolve) => { this.stream.once('drain', resolve); this.stream.once('error', () => resolve()); });
  }
}
