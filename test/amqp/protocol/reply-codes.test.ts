import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLY_CODES, ReplyTexts, isHardError, replyText } from '../../../src/amqp/protocol/reply-codes.js';

test('reply codes: soft errors close the channel, hard errors the connection (spec constants)', () => {
  assert.deepEqual([...REPLY_CODES.keys()], [200, 311, 312, 313, 320, 402, 403, 404, 405, 406, 501, 502, 503, 504, 505, 506, 530, 540, 541]);
  for (const soft of [311, 312, 313, 403, 404, 405, 406]) assert.equal(isHardError(soft), false, String(soft));
  for (const hard of [320, 402, 501, 502, 503, 504, 505, 506, 530, 540, 541]) assert.equal(isHardError(hard), true, String(hard));
});

test('reply texts are RabbitMQ 3.10.8\'s, as captured with pika', () => {
  assert.equal(ReplyTexts.noQueue('nosuch', '/'), "NOT_FOUND - no queue 'nosuch' in vhost '/'");
  assert.equal(ReplyTexts.unknownDeliveryTag(999n), 'PRECONDITION_FAILED - unknown delivery tag 999');
  assert.equal(ReplyTexts.inequivalentArg('type', 'exchange', 'amq.direct', '/', 'topic', 'direct'),
    "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in vhost '/': received 'topic' but current is 'direct'");
  assert.equal(ReplyTexts.vhostNotFound('nosuch'), 'NOT_ALLOWED - vhost nosuch not found');
  assert.equal(ReplyTexts.loginRefused('PLAIN'),
    'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
  assert.equal(ReplyTexts.prefetchSizeNotImplemented(10), 'NOT_IMPLEMENTED - prefetch_size!=0 (10)');
});

test('reply texts longer than a shortstr are cut to 255 bytes ending in "..."', () => {
  const long = replyText(404, 'x'.repeat(400));
  assert.equal(Buffer.byteLength(long), 255);
  assert.ok(long.endsWith('...') && long.startsWith('NOT_FOUND - xxx'));
  const multibyte = replyText(404, 'é'.repeat(200));
  assert.ok(Buffer.byteLength(multibyte) <= 255 && !multibyte.includes('\uFFFD'));
});
