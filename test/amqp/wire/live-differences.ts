/**
 * Keys the real broker's management answers lack (or add) next to RabbitMQ 3.10.8, beyond phase
 * 1's deliberate differences (shape-differences.ts); each is written down in docs/compat/amqp.md.
 */
export const LIVE_KEY_DIFFERENCES: Record<string, { missing: string[]; extra: string[] }> = {};
