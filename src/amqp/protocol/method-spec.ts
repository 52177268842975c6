/** Wire types of method arguments and basic properties (AMQP 0-9-1 §4.2.5, after domain resolution). */
export type ArgType = 'bit' | 'octet' | 'short' | 'long' | 'longlong' | 'timestamp' | 'shortstr' | 'longstr' | 'table';

/** One method of the spec as data (see spec-table.ts for where the rows come from). */
export interface MethodSpec {
  readonly className: string;
  readonly classId: number;
  readonly name: string;
  readonly methodId: number;
  /** The spec's "synchronous": the peer answers with `reply` (unless the method's nowait bit is set). */
  readonly sync: boolean;
  /** A content header and body frames follow this method (basic.publish/return/deliver/get-ok). */
  readonly content: boolean;
  readonly reply: number | null;
  readonly args: readonly (readonly [string, ArgType])[];
}
