// The SASL servers and the per-connection state machine without a socket: RFC 7677's SCRAM example
// exchange, PlainSaslServer's checks and texts, SaslServerAuthenticator's stages.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AuthDenied, type AuthService } from '../../src/core/auth/auth-service.js';
import {
  credentialFromSalted, hash, hmac, saltedPassword, type ScramCredential, type ScramMechanism,
} from '../../src/core/auth/scram.js';
import { SaslAuthenticator } from '../../src/kafka/auth/sasl-authenticator.js';
import { PlainSaslServer } from '../../src/kafka/auth/sasl-plain.js';
import { ScramSaslServer } from '../../src/kafka/auth/sasl-scram.js';
import { SaslAuthenticationFailed, type SaslCredentials } from '../../src/kafka/auth/sasl-server.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** A user store holding one user: its password (PLAIN) and SCRAM credentials. */
function store(username: string, password: string, scram: Partial<Record<ScramMechanism, ScramCredential>>, authRequired = true): SaslCredentials {
  const users = {
    async authenticate(u: string | undefined, p: string | undefined) {
      if (u !== username || p !== password) throw new AuthDenied('user not found!');
      return u;
    },
    scramCredential: (u: string, m: ScramMechanism) => (u === username ? scram[m] ?? null : null),
  } as unknown as AuthService;
  return { users, authRequired };
}

async function credential(mechanism: ScramMechanism, password: string, salt = randomBytes(16)): Promise<ScramCredential> {
  return credentialFromSalted(mechanism, await saltedPassword(mechanism, password, salt, 4096), salt, 4096);
}

/** A SCRAM client (RFC 5802 §3) for the round trips; returns the server's final message. */
async function scramLogin(server: ScramSaslServer, mechanism: ScramMechanism, user: string, password: string): Promise<string> {
  const clientFirstBare = `n=${user},r=${randomBytes(12).toString('base64url')}`;
  const serverFirst = (await server.evaluate(Buffer.from(`n,,${clientFirstBare}`))).toString();
  const { r, s, i } = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)])) as Record<string, string>;
  const salted = await saltedPassword(mechanism, password, Buffer.from(s!, 'base64'), Number(i));
  const clientKey = hmac(mechanism, salted, 'Client Key');
  const withoutProof = `c=biws,r=${r!}`;
  const signature = hmac(mechanism, hash(mechanism, clientKey), `${clientFirstBare},${serverFirst},${withoutProof}`);
  const proof = Buffer.from(clientKey.map((b, k) => b ^ signature[k]!)).toString('base64');
  return (await server.evaluate(Buffer.from(`${withoutProof},p=${proof}`))).toString();
}

const SCRAM_FAILURE = /^Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-(256|512)$/;

describe('SCRAM server', () => {
  it('RFC 7677 §3: answers the example exchange byte for byte', async () => {
    const cred = await credential('SCRAM-SHA-256', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));
    const server = new ScramSaslServer('SCRAM-SHA-256', store('user', 'pencil', { 'SCRAM-SHA-256': cred }), () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    const first = await server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    assert.equal(first.toString(), 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    assert.equal(server.principal, null);
    const final = await server.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='));
    assert.equal(final.toString(), 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    assert.equal(server.principal, 'user');
  });

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: the right password logs in; a wrong one, or an unknown user, fails with Kafka's text`, async () => {
      const users = store('alice', 'alice-pw', { [mechanism]: await credential(mechanism, 'alice-pw') });
      assert.match(await scramLogin(new ScramSaslServer(mechanism, users), mechanism, 'alice', 'alice-pw'), /^v=[A-Za-z0-9+/]+=*$/);
      await assert.rejects(scramLogin(new ScramSaslServer(mechanism, users), mechanism, 'alice', 'wrong'),
        (err: unknown) => err instanceof SaslAuthenticationFailed && SCRAM_FAILURE.test(err.message));
      await assert.rejects(scramLogin(new ScramSaslServer(mechanism, users), mechanism, 'bob', 'alice-pw'),
        (err: unknown) => err instanceof SaslAuthenticationFailed && SCRAM_FAILURE.test(err.message));
    });
  }

  it('fails for a user without credentials of that mechanism (password set before they were kept)', async () => {
    const users = store('old', 'pw', {});
    await assert.rejects(scramLogin(new ScramSaslServer('SCRAM-SHA-256', users), 'SCRAM-SHA-256', 'old', 'pw'), SaslAuthenticationFailed);
  });

  it('refuses a final message with another nonce, channel binding, and malformed messages', async () => {
    const users = store('u', 'pw', { 'SCRAM-SHA-256': await credential('SCRAM-SHA-256', 'pw') });
    const server = new ScramSaslServer('SCRAM-SHA-256', users, () => 'SERVER');
    await server.evaluate(Buffer.from('n,,n=u,r=abc'));
    await assert.rejects(server.evaluate(Buffer.from('c=biws,r=abcOTHER,p=AAAA')), SaslAuthenticationFailed);
    const cut = new ScramSaslServer('SCRAM-SHA-256', users, () => 'SERVER');
    await cut.evaluate(Buffer.from('n,,n=u,r=abc'));
    await assert.rejects(cut.evaluate(Buffer.from('c=biws,r=abcSERVE,p=AAAA')), SaslAuthenticationFailed, 'the server nonce must be there whole');
    for (const first of ['p=tls-unique,,n=u,r=abc', 'n,,n=u', 'n,,n=a=b,r=x', 'garbage', '']) {
      await assert.rejects(new ScramSaslServer('SCRAM-SHA-256', users).evaluate(Buffer.from(first)), SaslAuthenticationFailed, first);
    }
    const other = new ScramSaslServer('SCRAM-SHA-256', users, () => 'S');
    await other.evaluate(Buffer.from('n,,n=u,r=abc'));
    await assert.rejects(other.evaluate(Buffer.from('c=eSws,r=abcS,p=AAAA')), SaslAuthenticationFailed, 'c= must repeat the gs2 header');
  });

  it('accepts librdkafka < 2.6.1\'s final nonce, the client nonce sent twice (as Kafka 3.8.1–3.9 do)', async () => {
    const users = store('u', 'pw', { 'SCRAM-SHA-256': await credential('SCRAM-SHA-256', 'pw') });
    const server = new ScramSaslServer('SCRAM-SHA-256', users, () => 'SRV');
    const serverFirst = (await server.evaluate(Buffer.from('n,,n=u,r=cli'))).toString();
    const { s, i } = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)])) as Record<string, string>;
    const salted = await saltedPassword('SCRAM-SHA-256', 'pw', Buffer.from(s!, 'base64'), Number(i));
    const clientKey = hmac('SCRAM-SHA-256', salted, 'Client Key');
    const withoutProof = 'c=biws,r=clicliSRV';
    const signature = hmac('SCRAM-SHA-256', hash('SCRAM-SHA-256', clientKey), `n=u,r=cli,${serverFirst},${withoutProof}`);
    const proof = Buffer.from(clientKey.map((b, k) => b ^ signature[k]!)).toString('base64');
    assert.match((await server.evaluate(Buffer.from(`${withoutProof},p=${proof}`))).toString(), /^v=/);
    assert.equal(server.principal, 'u');
  });

  it('refuses an authorization id other than the user, with Kafka\'s message', async () => {
    const users = store('u', 'pw', { 'SCRAM-SHA-256': await credential('SCRAM-SHA-256', 'pw') });
    await assert.rejects(new ScramSaslServer('SCRAM-SHA-256', users).evaluate(Buffer.from('n,a=admin,n=u,r=abc')),
      { message: 'Authentication failed: Client requested an authorization id that is different from username' });
  });
});

describe('PLAIN server', () => {
  const users = store('alice', 'alice-pw', {});
  it('accepts authzid NUL user NUL password with an empty or equal authzid, answering an empty token', async () => {
    for (const token of ['\0alice\0alice-pw', 'alice\0alice\0alice-pw']) {
      const server = new PlainSaslServer(users);
      assert.equal((await server.evaluate(Buffer.from(token))).length, 0);
      assert.equal(server.principal, 'alice');
    }
  });

  it('refuses with PlainSaslServer\'s messages', async () => {
    const cases: Array<[string, string]> = [
      ['\0alice\0wrong', 'Authentication failed: Invalid username or password'],
      ['\0bob\0alice-pw', 'Authentication failed: Invalid username or password'],
      ['alice\0alice-pw', 'Invalid SASL/PLAIN response: expected 3 tokens, got 2'],
      ['\0\0pw', 'Authentication failed: username not specified'],
      ['\0alice\0', 'Authentication failed: password not specified'],
      ['bob\0alice\0alice-pw', 'Authentication failed: Client requested an authorization id that is different from username'],
    ];
    for (const [token, message] of cases) {
      const server = new PlainSaslServer(users);
      await assert.rejects(server.evaluate(Buffer.from(token)), { message }, JSON.stringify(token));
      assert.equal(server.principal, null);
    }
  });

  it('without --auth accepts any password: nothing is protected', async () => {
    const server = new PlainSaslServer(store('alice', 'alice-pw', {}, false));
    await server.evaluate(Buffer.from('\0anyone\0anything'));
    assert.equal(server.principal, 'anyone');
  });
});

describe('SASL stages (SaslServerAuthenticator)', () => {
  const users = store('alice', 'alice-pw', {});
  it('with --auth: ApiVersions once, then SaslHandshake, then only SaslAuthenticate; everything after success', async () => {
    const sasl = new SaslAuthenticator(users);
    assert.equal(sasl.stage, 'handshake-or-versions');
    assert.match(sasl.refusal(ApiKey.Metadata)!, /Unexpected Kafka request of type 3 during SASL handshake/);
    assert.equal(sasl.refusal(ApiKey.ApiVersions), null);
    sasl.versionsAnswered();
    assert.match(sasl.refusal(ApiKey.ApiVersions)!, /Unexpected ApiVersions request/);
    assert.match(sasl.refusal(ApiKey.SaslAuthenticate)!, /during SASL handshake/);
    assert.deepEqual(sasl.handshake('PLAIN', 1), { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], closeReason: null });
    assert.equal(sasl.expectsRawToken, false);
    assert.match(sasl.refusal(ApiKey.Produce)!, /during SASL authentication/);
    assert.equal(sasl.refusal(ApiKey.SaslAuthenticate), null);
    assert.equal(sasl.principal, null);
    await sasl.authenticate(Buffer.from('\0alice\0alice-pw'));
    assert.equal(sasl.stage, 'complete');
    assert.equal(sasl.principal, 'alice');
    assert.equal(sasl.refusal(ApiKey.Produce), null);
    assert.equal(sasl.handshake('PLAIN', 1).errorCode, 34, 'ILLEGAL_SASL_STATE after authentication');
  });

  it('an unknown mechanism gets UNSUPPORTED_SASL_MECHANISM with the enabled list and a close', () => {
    const answer = new SaslAuthenticator(users).handshake('GSSAPI', 1);
    assert.deepEqual(answer, { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], closeReason: 'Unsupported SASL mechanism GSSAPI' });
  });

  it('SaslHandshake v0 switches to raw tokens until the exchange completes', async () => {
    const sasl = new SaslAuthenticator(users);
    sasl.handshake('PLAIN', 0);
    assert.equal(sasl.expectsRawToken, true);
    await sasl.authenticate(Buffer.from('\0alice\0alice-pw'));
    assert.equal(sasl.expectsRawToken, false);
  });

  it('without --auth every request is served, and SASL may still run', async () => {
    const sasl = new SaslAuthenticator(store('alice', 'alice-pw', {}, false));
    assert.equal(sasl.stage, 'anonymous');
    assert.equal(sasl.refusal(ApiKey.Metadata), null);
    sasl.handshake('PLAIN', 1);
    await sasl.authenticate(Buffer.from('\0bob\0whatever'));
    assert.equal(sasl.principal, 'bob');
  });
});

describe('SASL servers under random and mutated tokens', () => {
  it('refuse every bad token with SaslAuthenticationFailed, never another error (seeded)', async () => {
    const users = store('u', 'pw', { 'SCRAM-SHA-256': await credential('SCRAM-SHA-256', 'pw'), 'SCRAM-SHA-512': await credential('SCRAM-SHA-512', 'pw') });
    const random = seededRandom(20261205);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const mutate = (text: string): Buffer => {
      const b = Buffer.from(text);
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      return b;
    };
    const firsts = ['n,,n=u,r=abc', 'n,a=u,n=u,r=abc,e=x'];
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const mechanism = random() < 0.5 ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512';
      const scram = new ScramSaslServer(mechanism, users, () => 'S');
      const first = random() < 0.5 ? bytes(Math.floor(random() * 40)) : mutate(firsts[round % 2]!);
      const final = random() < 0.5 ? bytes(Math.floor(random() * 80)) : mutate('c=biws,r=abcS,p=' + randomBytes(32).toString('base64'));
      const plain = new PlainSaslServer(users);
      for (const attempt of [scram.evaluate(first).then(() => scram.evaluate(final)), plain.evaluate(mutate('\0u\0pw'))]) {
        await attempt.then(() => undefined, (err: unknown) => {
          assert.ok(err instanceof SaslAuthenticationFailed, String(err));
          refused++;
        });
      }
    }
    assert.ok(refused > 500, `only ${refused} of 600 exchanges refused`);
  });
});

