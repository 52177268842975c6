import { KafkaApiError, KafkaErrors } from '../errors.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/apis/delete-topics.js';
import { ZERO_UUID } from '../protocol/reader.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof DeleteTopicsRequest>;
type Response = MessageInput<typeof DeleteTopicsResponse>;
type Result = NonNullable<Response['responses']>[number];

/** DeleteTopics (key 20), v0–v6: each named topic is deleted (its logs and data go), an unknown
 *  one is UNKNOWN_TOPIC_OR_PARTITION (ReplicationControlManager.deleteTopics), one the principal
 *  may not delete TOPIC_AUTHORIZATION_FAILED. The groups' committed offsets of a deleted topic go
 *  with it. v6 (KIP-516) names each topic by name or by id: an unknown id is UNKNOWN_TOPIC_ID,
 *  both at once INVALID_REQUEST, as KafkaApis.handleDeleteTopicsRequest answers. */
export async function handleDeleteTopics(req: Request, ctx: RequestContext): Promise<Response> {
  const wanted = ctx.apiVersion >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  const responses: Result[] = [];
  for (const { name, topicId } of wanted) responses.push(await deleteOne(ctx, name, topicId));
  return { throttleTimeMs: 0, responses };
}

async function deleteOne(ctx: RequestContext, given: string | null, topicId: string): Promise<Result> {
  let name = given;
  try {
    if (given !== null && topicId !== ZERO_UUID) throw new KafkaApiError('INVALID_REQUEST', 'You may not specify both topic name and topic id.');
    if (given === null) {
      name = ctx.broker.topics.nameOfId(topicId) ?? null;
      if (name === null) throw new KafkaApiError('UNKNOWN_TOPIC_ID');
    }
    const id = ctx.broker.topics.topic(name!)?.id ?? ZERO_UUID;
    // KafkaApis.handleDeleteTopicsRequest: a topic named by id that the principal may not DESCRIBE
    // is answered without its name ("the name should not be returned in the response").
    if (given === null && !ctx.authorize('DESCRIBE', 'topic', name!)) {
      name = null;
      throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED');
    }
    // KafkaApis / ControllerApis.deleteTopics: DELETE on the topic (DESCRIBE is implied by it).
    if (!ctx.authorize('DELETE', 'topic', name!)) throw new KafkaApiError('TOPIC_AUTHORIZATION_FAILED');
    await ctx.broker.topics.delete(name!);
    await ctx.broker.groups.topicDeleted(name!);
    return { name: name!, topicId: id, errorCode: KafkaErrors.NONE.code, errorMessage: null };
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return { name: ctx.apiVersion >= 6 ? name : name ?? '', topicId, errorCode: err.errorCode, errorMessage: ctx.apiVersion >= 5 ? err.message : null };
  }
}
