// What the management API shape differentials (shapes-reference.test.ts over the FakeBroker,
// ../wire/shapes-live.test.ts over a running Junction) share: the writes made on both sides, the
// routes read, and the recursive key set compared.

/** Maps whose keys are data, not shape (argument tables, client properties, per-node states). */
const OPAQUE = new Set(['arguments', 'client_properties', 'cluster_state', 'definition', 'effective_policy_definition',
  'socket_opts', 'properties', 'capabilities', 'backing_queue_status', 'garbage_collection', 'applications', 'metadata_store']);

export function keysOf(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : keysOf(value[0], `${path}[]`);
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = path === '' ? k : `${path}.${k}`;
    out.push(p);
    if (!OPAQUE.has(k)) out.push(...keysOf(v, p));
  }
  return out;
}

/** The routes whose shapes are compared. */
export const SHAPE_ROUTES = [
  '/api/overview', '/api/nodes', '/api/cluster-name', '/api/connections', '/api/channels', '/api/consumers',
  '/api/exchanges', '/api/exchanges/%2F/amq.direct', '/api/queues', '/api/queues/%2F/q1', '/api/queues?page=1&page_size=1',
  '/api/bindings', '/api/vhosts', '/api/vhosts/%2F', '/api/users', '/api/users/bob', '/api/permissions', '/api/policies',
  '/api/definitions', '/api/whoami', '/api/healthchecks/node', '/api/aliveness-test/%2F', '/api/queues/%2F/nosuch',
];

/** The writes made on both sides before the routes are read. */
export const SHAPE_WRITES: [string, string, unknown][] = [
  ['PUT', '/api/queues/%2F/q1', { durable: true, arguments: { 'x-message-ttl': 60000 } }],
  ['PUT', '/api/exchanges/%2F/ex1', { type: 'topic', durable: true }],
  ['POST', '/api/bindings/%2F/e/ex1/q/q1', { routing_key: 'a.#', arguments: {} }],
  ['POST', '/api/exchanges/%2F/amq.default/publish', { properties: {}, routing_key: 'q1', payload: 'hi', payload_encoding: 'string' }],
  ['PUT', '/api/policies/%2F/p1', { pattern: '^nothing$', definition: { 'max-length': 10 }, 'apply-to': 'queues' }],
  ['PUT', '/api/users/bob', { password: 'pw', tags: 'monitoring' }],
  ['PUT', '/api/permissions/%2F/bob', { configure: '.*', write: '.*', read: '.*' }],
];
