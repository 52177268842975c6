import { incrementallyChanged } from '../config-changes.js';
import type { IncrementalAlterConfigsRequest } from '../protocol/apis/incremental-alter-configs.js';
import type { MessageValue } from '../protocol/schema.js';
import { alterEach, type AlterConfigsResult } from './alter-configs.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof IncrementalAlterConfigsRequest>;

/**
 * IncrementalAlterConfigs (key 44), v0 (KIP-339): SET and DELETE any topic config, APPEND and
 * SUBTRACT the items of a list config (cleanup.policy, *.replication.throttled.replicas) — on any
 * other config INVALID_REQUEST, as Kafka's ConfigAdminManager.prepareIncrementalConfigs.
 */
export function handleIncrementalAlterConfigs(req: Request, ctx: RequestContext): Promise<AlterConfigsResult> {
  return alterEach(req.resources, req.validateOnly, ctx, (r, current) => incrementallyChanged(current,
    r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value })), ctx.broker.settings));
}
