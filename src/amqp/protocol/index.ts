// The AMQP 0-9-1 codec: pure functions over buffers, no sockets (issue 10 §1).
export * from './content.js';
export * from './errors.js';
export * from './field-table.js';
export * from './frames.js';
export type { ArgType, MethodSpec } from './method-spec.js';
export * from './methods.js';
export * from './reader.js';
export * from './reply-codes.js';
export { METHOD_SPECS } from './spec-table.js';
export * from './stream-decoder.js';
export * from './writer.js';
