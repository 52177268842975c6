/**
 * Keys the management API answers differently from RabbitMQ 3.10.8 on purpose, per route
 * (docs/compat/amqp.md, "Management API"); shapes-reference.test.ts checks them exactly, so a new
 * difference fails the test. All are Erlang VM internals Junction has no equivalent of:
 * garbage_collection and reductions (per-process GC and scheduler work), backing_queue_status
 * (the classic queue's internal q1–q4/delta state), the management DB's GC queue lengths and
 * Ra's open-file metrics, and definitions' internal_cluster_id global parameter.
 */
type Differences = Record<string, { missing: string[]; extra: string[] }>;

const erlangProcess = (prefix: string) =>
  ['garbage_collection', 'reductions', 'reductions_details', 'reductions_details.rate'].map((k) => `${prefix}${k}`);
const queueInternals = (prefix: string) => [...erlangProcess(prefix), `${prefix}backing_queue_status`];

export const DELIBERATE_KEY_DIFFERENCES: Differences = {
  '/api/nodes': {
    missing: [
      ...['channel_closed', 'channel_consumer_deleted', 'connection_closed', 'consumer_deleted', 'exchange_deleted',
        'node_node_deleted', 'queue_deleted', 'vhost_deleted'].map((k) => `[].metrics_gc_queue_length.${k}`),
      '[].ra_open_file_metrics.ra_log_segment_writer', '[].ra_open_file_metrics.ra_log_wal',
    ],
    extra: [],
  },
  '/api/connections': { missing: erlangProcess('[].'), extra: [] },
  '/api/channels': { missing: erlangProcess('[].'), extra: [] },
  '/api/queues': { missing: queueInternals('[].'), extra: [] },
  '/api/queues/%2F/q1': { missing: queueInternals(''), extra: [] },
  '/api/queues?page=1&page_size=1': { missing: queueInternals('items[].'), extra: [] },
  '/api/definitions': { missing: ['global_parameters[].name', 'global_parameters[].value'], extra: [] },
};
