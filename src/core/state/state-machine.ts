/**
 * A deterministic model: apply(state, command) reads nothing but its arguments — no clock, no
 * randomness, no I/O — so replaying snapshot + log rebuilds the state exactly (ARCHITECTURE
 * principle 1). apply mutates `state` in place for speed; determinism is what matters.
 */
export interface Command { type: string }

export interface StateMachine<S, C extends Command> {
  initial(): S;
  /** Apply one command; the return value is handed back to whoever submitted it. Throwing is
   *  not allowed: a command that is invalid against the state returns an error result instead. */
  apply(state: S, command: C): unknown;
  /** A JSON-serialisable image of the durable part of the state. */
  snapshot(state: S): unknown;
  /** Rebuild the state from an image made by snapshot(). */
  restore(image: unknown): S;
  /** Optional: the snapshot file's bytes made by the machine itself (e.g. JSON + raw binary
   *  data), in pieces written in order, used instead of JSON-encoding snapshot(); decodeSnapshot
   *  reads them back (as one buffer). It must
   *  capture the state as it is at the call; it may finish later (a promise) while commands go
   *  on being applied. */
  encodeSnapshot?(state: S): Buffer[] | Promise<Buffer[]>;
  decodeSnapshot?(data: Buffer): S;
}
