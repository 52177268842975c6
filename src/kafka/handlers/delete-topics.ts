import { KafkaApiError, KafkaErrors } from '../errors.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/apis/delete-topics.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof DeleteTopicsRequest>;
type Response = MessageInput<typeof DeleteTopicsResponse>;

/** DeleteTopics (key 20), v0–v3: each named topic is deleted (its logs and data go), an unknown
 *  one is UNKNOWN_TOPIC_OR_PARTITION (ReplicationControlManager.deleteTopics). The groups' committed
 *  offsets of a deleted topic go with it. */
export async function handleDeleteTopics(req: Request, ctx: RequestContext): Promise<Response> {
  const responses: Array<NonNullable<Response['responses']>[number]> = [];
  for (const name of req.topicNames) {
    try {
      await ctx.broker.topics.delete(name);
      await ctx.broker.groups.topicDeleted(name);
      responses.push({ name, errorCode: KafkaErrors.NONE.code });
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      responses.push({ name, errorCode: err.errorCode });
    }
  }
  return { throttleTimeMs: 0, responses };
}
