import { ReplyCodes } from '../protocol/reply-codes.js';

/** A close reason as the broker sends it in channel.close / connection.close. */
export interface AmqpReply {
  readonly code: number;
  /** The full reply-text, "NAME - detail", from ReplyTexts (the one registry of texts). */
  readonly text: string;
}

/** A validation outcome: the typed value, or the reply RabbitMQ closes the channel with. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AmqpReply };

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const preconditionFailed = (text: string): AmqpReply => ({ code: ReplyCodes.PRECONDITION_FAILED, text });
