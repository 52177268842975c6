import { JunctionError } from '../../../core/errors.js';

/** A failure a Kafka tool reports as Kafka's does: `text` on `stream`, then exit with `exitCode`. */
export class KafkaToolFailure extends JunctionError {
  constructor(readonly text: string, readonly exitCode: number, readonly stream: 'stdout' | 'stderr' = 'stderr') {
    super('KAFKA_TOOL', text);
  }
}
