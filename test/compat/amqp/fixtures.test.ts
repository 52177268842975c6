// The captured RabbitMQ 3.10.8 frames (test/fixtures/amqp, capture-replies.mjs) are whole frames whose
// method ids match their names, so the codec tests can rely on them as ground truth.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/amqp/', import.meta.url));
const METHOD_IDS: Record<string, [number, number]> = {
  'connection-start': [10, 10], 'connection-tune': [10, 30], 'connection-open-ok': [10, 41],
  'connection-close-ok': [10, 51], 'channel-open-ok': [20, 11], 'channel-close': [20, 40],
  'queue-declare-ok': [50, 11], 'basic-get-ok': [60, 71],
};
const FRAME_TYPES: Record<string, number> = { 'content-header': 2, 'content-body': 3 };

function fixtures(): { name: string; bytes: Buffer }[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.hex')).sort((a, b) => order(a) - order(b))
    .map((f) => ({ name: f.split('.')[4]!, bytes: Buffer.from(readFileSync(DIR + f, 'utf8').trim(), 'hex') }));
}
// rabbitmq-3.10.8.<n>.<name>.hex: the version's dots put <n> at index 3 and <name> at 4.
const order = (file: string) => Number(file.split('.')[3]);

test('every fixture is one whole frame (size field, frame-end 0xCE) of the type its name says', () => {
  const all = fixtures();
  assert.equal(all.length, 11);
  for (const { name, bytes } of all) {
    assert.equal(bytes.length, 8 + bytes.readUInt32BE(3), name);
    assert.equal(bytes[bytes.length - 1], 0xce, name);
    if (name in FRAME_TYPES) {
      assert.equal(bytes[0], FRAME_TYPES[name], name);
      continue;
    }
    assert.equal(bytes[0], 1, name);
    assert.deepEqual([bytes.readUInt16BE(7), bytes.readUInt16BE(9)], METHOD_IDS[name], name);
  }
});

test('the fixtures hold what RabbitMQ 3.10.8 says: version, tune values, the 404 text, the body', () => {
  const byName = new Map(fixtures().map((f) => [f.name, f.bytes]));
  const start = byName.get('connection-start')!;
  assert.deepEqual([start[11], start[12]], [0, 9]); // version-major, version-minor
  assert.ok(start.includes(Buffer.from('\x07versionS\x00\x00\x00\x063.10.8', 'latin1')));
  const tune = byName.get('connection-tune')!;
  // channel-max 2047, frame-max 131072, heartbeat 60: RabbitMQ 3.10's defaults.
  assert.deepEqual([tune.readUInt16BE(11), tune.readUInt32BE(13), tune.readUInt16BE(17)], [2047, 131072, 60]);
  const close = byName.get('channel-close')!;
  assert.equal(close.readUInt16BE(11), 404);
  const text = close.subarray(14, 14 + close[13]!).toString();
  assert.equal(text, "NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
  assert.equal(byName.get('content-body')!.subarray(7, 12).toString(), 'hello');
});
