import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { errors, exportJWK, type FlattenedJWSInput, generateKeyPair, type JWK } from 'jose';

import { JwksKeySource, KeysUnavailableError } from './jwks-key-source';

const TOKEN = { payload: '', signature: '' } as FlattenedJWSInput;

async function publicKey(kid: string, extra: Partial<JWK> = {}): Promise<JWK> {
  const { publicKey: key } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(key)), kid, alg: 'ES256', ...extra };
}

describe('JwksKeySource', () => {
  let server: Server;
  let base: string;
  let document: unknown;
  let discovery: unknown;
  let status = 200;
  let jwksRequests = 0;
  let now = 1_000_000;
  const clock = { now: () => now };
  const fetched: number[] = [];
  const failed: [string, number][] = [];
  const events = { fetched: (keys: number) => fetched.push(keys), failed: (reason: string, kept: number) => failed.push([reason, kept]) };

  const source = (overrides: { jwksUrl?: string | undefined; cooldownMs?: number } = {}): JwksKeySource =>
    new JwksKeySource(
      {
        jwksUrl: 'jwksUrl' in overrides ? overrides.jwksUrl : `${base}/jwks`,
        issuer: base,
        jwksMaxAgeMs: 60_000,
        jwksCooldownMs: overrides.cooldownMs ?? 10_000,
        fetchTimeoutMs: 1000,
      },
      clock,
      events,
    );

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/jwks') {
        jwksRequests += 1;
      }
      const body = req.url === '/jwks' ? document : discovery;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(async () => {
    status = 200;
    jwksRequests = 0;
    fetched.length = 0;
    failed.length = 0;
    document = { keys: [await publicKey('a')] };
    discovery = { issuer: base, jwks_uri: `${base}/jwks` };
  });

  it('fetches the keys once and resolves every token from them while they are fresh', async () => {
    const keys = source();
    await Promise.all([keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN), keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)]);
    const key = await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    expect(key.type).toBe('public');
    expect(jwksRequests).toBe(1);
    expect(fetched).toEqual([1]);
  });

  it('finds the JWKS through the issuer\'s OpenID configuration', async () => {
    const keys = source({ jwksUrl: undefined });
    await expect(keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).resolves.toBeDefined();
    expect(jwksRequests).toBe(1);
  });

  it.each([
    [{ issuer: 'https://impostor.example', jwks_uri: 'x' }, 'discovery document does not name AUTH_ISSUER as its issuer'],
    [{ jwks_uri: 'x' }, 'discovery document does not name AUTH_ISSUER as its issuer'],
    [{ issuer: '<base>', jwks_uri: 'file:///etc/passwd' }, 'discovery document has no http(s) jwks_uri'],
    [['not', 'an', 'object'], 'discovery document does not name AUTH_ISSUER as its issuer'],
  ])('refuses the discovery document %j', async (answer, reason) => {
    discovery = JSON.parse(JSON.stringify(answer).replace('<base>', base)) as unknown;
    await expect(source({ jwksUrl: undefined }).resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(failed).toEqual([[reason, 0]]);
  });

  it('keeps only public signing keys, never secret or private material', async () => {
    const signing = await publicKey('pub');
    document = {
      keys: [
        { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
        { ...(await publicKey('priv')), d: 'private-part' },
        await publicKey('enc', { use: 'enc' }),
        'junk',
        signing,
      ],
    };
    const keys = source();
    await expect(keys.resolve({ alg: 'ES256', kid: 'pub' }, TOKEN)).resolves.toBeDefined();
    expect(fetched).toEqual([1]);
    for (const kid of ['hmac', 'priv', 'enc']) {
      await expect(keys.resolve({ alg: 'ES256', kid }, TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    }
  });

  it.each([
    [{ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, 'JWKS holds no public signing key'],
    [{ keys: 'none' }, 'answer is not a JWKS ({"keys": [...]})'],
    [null, 'answer is not a JWKS ({"keys": [...]})'],
  ])('counts %j as a failed fetch', async (answer, reason) => {
    document = answer;
    await expect(source().resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(failed).toEqual([[reason, 0]]);
  });

  it('fetches again for an unknown kid, at most once per cooldown', async () => {
    const keys = source();
    await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    now += 10_000;
    const rotated = await publicKey('b');
    document = { keys: [rotated] };
    await expect(keys.resolve({ alg: 'ES256', kid: 'b' }, TOKEN)).resolves.toBeDefined();
    expect(jwksRequests).toBe(2);
    await expect(keys.resolve({ alg: 'ES256', kid: 'made-up' }, TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    await expect(keys.resolve({ alg: 'ES256', kid: 'made-up-too' }, TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(jwksRequests).toBe(2);
    now += 10_000;
    await expect(keys.resolve({ alg: 'ES256', kid: 'made-up' }, TOKEN)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(jwksRequests).toBe(3);
  });

  it('answers a rotated key during a flood of unknown kids, sharing one fetch per cooldown between every waiting token', async () => {
    const realTime = { now: () => Date.now() };
    // A fetch timeout far above the cooldown: this is about sharing fetches, not about a slow issuer.
    const keys = new JwksKeySource({ jwksUrl: `${base}/jwks`, issuer: base, jwksMaxAgeMs: 60_000, jwksCooldownMs: 300, fetchTimeoutMs: 10_000 }, realTime, events);
    await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    const rotatedDocument = { keys: [await publicKey('a'), await publicKey('b')] };
    const flood = Array.from({ length: 20 }, (_, index) => keys.resolve({ alg: 'ES256', kid: `made-up-${index}` }, TOKEN));
    // The issuer publishes the rotated key before any fetch the flood starts can reach it.
    document = rotatedDocument;
    const rotated = keys.resolve({ alg: 'ES256', kid: 'b' }, TOKEN);
    const settled = await Promise.allSettled([...flood, rotated]);
    // Every fetch answered, so a rejection below is about which fetch a token waited for.
    expect(failed).toEqual([]);
    expect(settled.at(-1)?.status).toBe('fulfilled');
    expect(settled.slice(0, -1).every((result) => result.status === 'rejected' && result.reason instanceof errors.JWKSNoMatchingKey)).toBe(true);
    expect(jwksRequests).toBe(2);
    const secondFlood = await Promise.allSettled(Array.from({ length: 20 }, (_, index) => keys.resolve({ alg: 'ES256', kid: `again-${index}` }, TOKEN)));
    expect(secondFlood.every((result) => result.status === 'rejected')).toBe(true);
    expect(jwksRequests).toBe(3);
  });

  it('fetches for a waiting token once its clock says the cooldown is over, even when timers fire before that', async () => {
    // A clock at half the timers' speed: every sleep ends before the cooldown has passed by this clock, as under load.
    const started = Date.now();
    const slowClock = { now: () => started + (Date.now() - started) / 2 };
    const keys = new JwksKeySource({ jwksUrl: `${base}/jwks`, issuer: base, jwksMaxAgeMs: 60_000, jwksCooldownMs: 100, fetchTimeoutMs: 10_000 }, slowClock, events);
    await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    document = { keys: [await publicKey('b')] };
    await expect(keys.resolve({ alg: 'ES256', kid: 'b' }, TOKEN)).resolves.toBeDefined();
    expect(jwksRequests).toBe(2);
  });

  it('fetches stale keys again, and keeps using them while the fetch fails', async () => {
    const keys = source();
    await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    now += 60_000;
    status = 500;
    await expect(keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).resolves.toBeDefined();
    await expect(keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).resolves.toBeDefined();
    expect(jwksRequests).toBe(2);
    expect(failed).toEqual([['answered HTTP 500', 1]]);
    now += 10_000;
    status = 200;
    await keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN);
    expect(jwksRequests).toBe(3);
    expect(fetched).toEqual([1, 1]);
  });

  it('is unavailable while no key was ever fetched, without asking the issuer again within the cooldown', async () => {
    status = 502;
    const keys = source();
    await expect(keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).rejects.toBeInstanceOf(KeysUnavailableError);
    await expect(keys.resolve({ alg: 'ES256', kid: 'a' }, TOKEN)).rejects.toThrow('No signing keys of the token issuer are available');
    expect(jwksRequests).toBe(1);
  });
});
