// Mutated SASL frames against a broker with --auth (fixed seed): handshakes, SaslAuthenticate
// requests and raw v0 tokens with bytes flipped, truncated or extended, sent before
// authentication. Every connection must end answered or closed, never authenticated by accident,
// and an authenticated client must keep being served.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { encodeRequest, seededRandom } from './helpers.js';
import { assertNoConnectionsLeft, WireClient } from './wire-client.js';

const METADATA_CORRELATION = 424242;
const header = (requestApiKey: number, requestApiVersion: number) => ({ requestApiKey, requestApiVersion, correlationId: 1, clientId: 'fuzz' });

function seedFrames(): Buffer[] {
  return [
    encodeRequest(header(ApiKey.ApiVersions, 3), { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
    encodeRequest(header(ApiKey.SaslHandshake, 1), { mechanism: 'PLAIN' }),
    encodeRequest(header(ApiKey.SaslHandshake, 0), { mechanism: 'SCRAM-SHA-256' }),
    encodeRequest(header(ApiKey.SaslAuthenticate, 1), { authBytes: Buffer.from('\0fuzzer\0wrong-pw') }),
    encodeRequest(header(ApiKey.SaslAuthenticate, 0), { authBytes: Buffer.from('n,,n=fuzzer,r=abcdef') }),
    // A wrong password no mutation here can turn into the right one (flips keep the length, cuts
    // and appends only touch the end), so no fuzzed connection may ever be served.
    Buffer.from('\0fuzzer\0wrong-pw'),
    Buffer.from('c=biws,r=abcdef,p=AAAA'),
  ];
}

function mutate(frame: Buffer, random: () => number): Buffer {
  const out = Buffer.from(frame);
  switch (Math.floor(random() * 4)) {
    case 0: for (let i = 0; i < 1 + random() * 4; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256); return out;
    case 1: return out.subarray(0, Math.floor(random() * out.length));
    case 2: return Buffer.concat([out, Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256)))]);
    default: return out;
  }
}

describe('kafka --auth under mutated SASL frames', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    await server.junction.auth.createUser('fuzzer', 'fuzz-pw');
  });
  after(async () => { await server?.destroy(); });

  it('answers or closes every fuzzed connection, authenticates none of them, keeps serving a logged-in client', async () => {
    const random = seededRandom(20261206);
    const seeds = seedFrames();
    const good = await WireClient.connect(server.ports.kafka!);
    await good.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    assert.equal((await good.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from('\0fuzzer\0fuzz-pw') })).body.errorCode, 0);
    try {
      for (let round = 0; round < 60; round++) {
        const c = await WireClient.connect(server.ports.kafka!);
        const frames = Math.floor(random() * 4);
        for (let i = 0; i < frames; i++) c.sendRaw(mutate(seeds[Math.floor(random() * seeds.length)]!, random));
        c.sendRaw(encodeRequest({ ...header(ApiKey.Metadata, 1), correlationId: METADATA_CORRELATION }, { topics: null }));
        await c.closedWithin(150);
        while (c.pendingFrames > 0) assert.notEqual((await c.receiveRaw())!.readInt32BE(0), METADATA_CORRELATION, `round ${round}: served unauthenticated`);
        c.close();
        if (round % 10 === 9) assert.equal((await good.request(ApiKey.Metadata, 1, { topics: null })).body.topics instanceof Array, true);
      }
    } finally {
      good.close();
    }
    await assertNoConnectionsLeft(server);
  });
});
