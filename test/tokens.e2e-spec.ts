import { CompactSign, type CryptoKey, exportSPKI, importJWK, type JWTPayload, SignJWT } from 'jose';
import request from 'supertest';

import { IdentityProvider, newSigningKey, type SigningKey } from './support/identity-provider';
import { connectMcp, structured, toolBody } from './support/mcp-client';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const RESOURCE = 'https://squad-mcp.test/mcp';
const METADATA_URL = 'https://squad-mcp.test/.well-known/oauth-protected-resource/mcp';
const UNAUTHORIZED = { error: 'Unauthorized', status: 'unauthorized', code: 'unauthorized', details: [], suggestions: [expect.stringMatching(/^Send Authorization: Bearer <key>/) as unknown] };
const INVALID_TOKEN_CHALLENGE = `Bearer error="invalid_token", scope="service", resource_metadata="${METADATA_URL}"`;

const bearer = (credential: string): Record<string, string> => ({ Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' });
const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function tokenEnv(provider: IdentityProvider, extra: Record<string, string> = {}): Record<string, string> {
  return { AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: RESOURCE, AUTH_JWKS_COOLDOWN_SECONDS: '0', ...extra };
}

function auditOf(app: TestApp, requestId: string): Record<string, unknown> | undefined {
  return app.logs.forRequest(requestId).find((line) => line.event === 'audit');
}

/** The `jwks_fetch_failed` lines so far (every app of this file logs into one capture). */
function fetchFailures(app: TestApp): Record<string, unknown>[] {
  return app.logs.lines().filter((line) => line.event === 'jwks_fetch_failed');
}

/** A player with upcoming events answered "going" or "maybe", so list_my_events has something to show. */
async function playerWithUpcomingEvents(app: TestApp): Promise<string> {
  const { rows } = await app.db.query<{ player_id: number }>(
    `SELECT r.player_id FROM event_rsvps r JOIN events e ON e.id = r.event_id
     WHERE e.status = 'scheduled' AND e.starts_at >= now() AND r.status IN ('going', 'maybe')
     GROUP BY r.player_id ORDER BY count(*) DESC, r.player_id LIMIT 1`,
  );
  return String(rows[0]!.player_id);
}

describe('JWT bearer tokens', () => {
  const provider = new IdentityProvider();
  let keyA: SigningKey;
  let rsaKey: SigningKey;
  let app: TestApp;
  const sign = (claims: JWTPayload = {}, expiresIn: string | number = '10m', key: SigningKey = keyA): Promise<string> =>
    provider.sign(key, claims, { audience: RESOURCE, expiresIn });

  beforeAll(async () => {
    await provider.start();
    keyA = await newSigningKey('key-a');
    rsaKey = await newSigningKey('key-rsa', 'RS256');
    provider.published = [keyA, rsaKey];
    app = await startTestApp(tokenEnv(provider));
  });

  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  describe('accepted tokens', () => {
    it('answers a REST call made with a valid token, found through OpenID discovery, and never logs the token', async () => {
      const token = await sign();
      const res = await request(app.url).post('/v1/mcp/get_player').set(bearer(token)).send({ player_id: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: 1 });
      expect(res.body).not.toHaveProperty('email');
      expect(provider.discoveryRequests).toBeGreaterThanOrEqual(1);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({
        client_id: 'mobile-backend',
        result: 'allowed',
        reason: 'valid_token',
      });
      expect(app.logs.forRequest(res.headers['x-request-id'] as string).find((line) => line.event === 'tool_call_end')).toMatchObject({
        client_id: 'mobile-backend',
        tool_name: 'get_player',
      });
      expect(app.logs.raw.join('\n')).not.toContain(token.split('.')[2]);
    });

    it.each(['legacy', 'modern'] as const)('serves MCP calls made with a valid token (%s era)', async (era) => {
      const client = await connectMcp(app.url, await sign(), era);
      try {
        const result = await client.callTool({ name: 'get_squad', arguments: { squad_id: 1 } });
        expect(structured(result)).toMatchObject({ id: 1 });
      } finally {
        await client.close();
      }
    });

    it('takes the client id from client_id when the token has no azp', async () => {
      const res = await request(app.url)
        .post('/v1/mcp/get_squad')
        .set(bearer(await sign({ azp: undefined, client_id: 'support-console' })))
        .send({ squad_id: 1 });
      expect(res.status).toBe(200);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ client_id: 'support-console', reason: 'valid_token' });
    });

    it('grants the admin role from a space-separated scope claim (email becomes visible)', async () => {
      const res = await request(app.url)
        .post('/v1/mcp/get_player')
        .set(bearer(await sign({ roles: undefined, scope: 'openid profile admin' })))
        .send({ player_id: 1 });
      expect(res.status).toBe(200);
      expect((res.body as Record<string, unknown>).email).toEqual(expect.stringContaining('@'));
    });

    it('accepts a token that expired within the clock skew', async () => {
      const res = await request(app.url)
        .post('/v1/mcp/get_squad')
        .set(bearer(await sign({}, Math.floor(Date.now() / 1000) - 5)))
        .send({ squad_id: 1 });
      expect(res.status).toBe(200);
    });

    it('keeps API keys working beside tokens, with X-User-ID as the end user', async () => {
      const res = await request(app.url).post('/v1/mcp/get_squad').set({ ...bearer(SERVICE_KEY), 'X-User-ID': '7' }).send({ squad_id: 1 });
      expect(res.status).toBe(200);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ client_id: 'primary', user_id: '7', reason: 'valid_key' });
    });
  });

  describe('refused tokens', () => {
    const now = (): number => Math.floor(Date.now() / 1000);
    const refusals: [string, () => Promise<string>, string][] = [
      ['an expired token', () => sign({}, now() - 120), 'token_expired'],
      ['a token not yet valid', () => sign({ nbf: now() + 300 }), 'token_not_yet_valid'],
      ['a token from another issuer', () => sign({ iss: 'https://other-issuer.test' }), 'token_wrong_issuer'],
      ['a token for another audience', () => provider.sign(keyA, {}, { audience: 'https://other-service.test', expiresIn: '10m' }), 'token_wrong_audience'],
      ['a token without expiry', () => provider.sign(keyA, {}, { audience: RESOURCE }), 'token_without_expiry'],
      [
        'an unsigned token (alg none)',
        () => Promise.resolve(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: provider.issuer, aud: RESOURCE, exp: now() + 600, azp: 'x', roles: ['admin'] })}.`),
        'token_algorithm_refused',
      ],
      [
        'an HS256 token keyed with the issuer\'s public RSA key',
        async () => {
          const pem = await exportSPKI((await importJWK(rsaKey.publicJwk, 'RS256', { extractable: true })) as CryptoKey);
          return new SignJWT({ azp: 'x', roles: ['admin'] })
            .setProtectedHeader({ alg: 'HS256', kid: rsaKey.kid })
            .setIssuer(provider.issuer)
            .setAudience(RESOURCE)
            .setExpirationTime('10m')
            .sign(new TextEncoder().encode(pem));
        },
        'token_algorithm_refused',
      ],
      [
        'a token signed by a stranger\'s key under a published kid',
        async () => provider.sign(await newSigningKey('key-a'), {}, { audience: RESOURCE, expiresIn: '10m' }),
        'token_bad_signature',
      ],
      [
        'a token whose signature was altered',
        async () => {
          const token = await sign();
          return token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
        },
        'token_bad_signature',
      ],
      [
        'a signed token whose payload is not a claims set',
        () => new CompactSign(new TextEncoder().encode('["not", "claims"]')).setProtectedHeader({ alg: 'ES256', kid: 'key-a' }).sign(keyA.privateKey),
        'token_malformed',
      ],
      ['a token that names no client (no azp, client_id or sub)', () => sign({ azp: undefined }), 'token_without_client'],
      ['a token over 8,192 characters', () => sign({ padding: 'x'.repeat(9_000) }), 'invalid_token'],
    ];

    it.each(refusals)('refuses %s with 401 and an invalid_token challenge, on REST and MCP', async (_label, make, reason) => {
      const token = await make();
      for (const [path, body] of [
        ['/v1/mcp/get_player', { player_id: 1 }],
        ['/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
      ] as const) {
        const res = await request(app.url).post(path).set({ ...bearer(token), Accept: 'application/json, text/event-stream' }).send(body);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject(UNAUTHORIZED);
        expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
        expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ result: 'denied', reason });
      }
    });

    it('answers a request without credentials with a challenge naming the resource metadata', async () => {
      const res = await request(app.url).post('/v1/mcp/get_player').send({ player_id: 1 });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject(UNAUTHORIZED);
      expect(res.headers['www-authenticate']).toBe(`Bearer scope="service", resource_metadata="${METADATA_URL}"`);
    });

    it('names the admin scope in the challenge of an /admin request without credentials', async () => {
      const res = await request(app.url).post('/admin/reload-secrets');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer scope="admin", resource_metadata="${METADATA_URL}"`);
    });

    it('compares a dotted bearer value that is not a JWT as a key', async () => {
      const res = await request(app.url).post('/v1/mcp/get_player').set(bearer('not.a.jwt')).send({ player_id: 1 });
      expect(res.status).toBe(401);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ reason: 'invalid_key' });
    });

    it('answers a wrong API key with the invalid_token challenge too', async () => {
      const res = await request(app.url).post('/v1/mcp/get_player').set(bearer(`${SERVICE_KEY}x`)).send({ player_id: 1 });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ reason: 'invalid_key' });
    });

    it('refuses a valid token that grants no role of this service with 403 insufficient_scope', async () => {
      const res = await request(app.url)
        .post('/v1/mcp/get_player')
        .set(bearer(await sign({ roles: ['reader'], scope: 'openid' })))
        .send({ player_id: 1 });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', error: 'The token grants neither the service nor the admin role' });
      expect(res.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="service", resource_metadata="${METADATA_URL}"`);
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ client_id: 'mobile-backend', result: 'denied', reason: 'token_without_role' });
    });

    it('refuses /admin to a token with the service role only', async () => {
      const res = await request(app.url).post('/admin/reload-secrets').set(bearer(await sign()));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', error: 'This route needs the admin role' });
      expect(res.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="admin", resource_metadata="${METADATA_URL}"`);
    });
  });

  describe('the end user', () => {
    let playerId: string;

    beforeAll(async () => {
      playerId = await playerWithUpcomingEvents(app);
    });

    it('is the token\'s user for list_my_events, the same answer as the key with X-User-ID', async () => {
      const byToken = await request(app.url).post('/v1/mcp/list_my_events').set(bearer(await sign({ sub: playerId }))).send({});
      const byKey = await request(app.url).post('/v1/mcp/list_my_events').set({ ...bearer(SERVICE_KEY), 'X-User-ID': playerId }).send({});
      expect(byToken.status).toBe(200);
      expect((byToken.body as Record<string, unknown>).total_count).toBeGreaterThan(0);
      expect(byToken.body).toEqual(byKey.body);
      expect(auditOf(app, byToken.headers['x-request-id'] as string)).toMatchObject({ user_id: playerId, client_id: 'mobile-backend' });
    });

    it('is the token\'s user over MCP too', async () => {
      const client = await connectMcp(app.url, await sign({ sub: playerId }), 'modern');
      try {
        const body = toolBody<{ total_count: number }>(await client.callTool({ name: 'list_my_events', arguments: {} }));
        expect(body.total_count).toBeGreaterThan(0);
      } finally {
        await client.close();
      }
    });

    it('comes from the configured user claim', async () => {
      const custom = await startTestApp(tokenEnv(provider, { AUTH_USER_CLAIM: 'player_id' }));
      try {
        const res = await request(custom.url)
          .post('/v1/mcp/list_my_events')
          .set(bearer(await sign({ sub: 'a1b2-c3d4', player_id: Number(playerId) })))
          .send({});
        expect(res.status).toBe(200);
        expect((res.body as Record<string, unknown>).total_count).toBeGreaterThan(0);
      } finally {
        await custom.close();
      }
    });

    it('accepts an X-User-ID equal to the token\'s user', async () => {
      const res = await request(app.url).post('/v1/mcp/list_my_events').set({ ...bearer(await sign({ sub: playerId })), 'X-User-ID': playerId }).send({});
      expect(res.status).toBe(200);
    });

    it.each(['12', 'abc'])('refuses a conflicting X-User-ID (%s) with 400, not silently preferring either', async (asserted) => {
      const res = await request(app.url).post('/v1/mcp/get_squad').set({ ...bearer(await sign({ sub: '11' })), 'X-User-ID': asserted }).send({ squad_id: 1 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'invalid_input',
        error: "X-User-ID names another player than the token's user",
        details: [{ field: 'X-User-ID', message: "must be left out or equal the token's user" }],
      });
      expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({
        client_id: 'mobile-backend',
        user_id: '11',
        result: 'denied',
        reason: 'user_id_conflict',
      });
    });

    it('leaves X-User-ID in charge when the user claim is not a player id (a client-credentials token)', async () => {
      const res = await request(app.url)
        .post('/v1/mcp/list_my_events')
        .set({ ...bearer(await sign({ sub: 'mobile-backend-service' })), 'X-User-ID': playerId })
        .send({});
      expect(res.status).toBe(200);
      expect((res.body as Record<string, unknown>).total_count).toBeGreaterThan(0);
    });
  });

  describe('protected resource metadata', () => {
    it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])('is served without credentials at %s', async (path) => {
      const res = await request(app.url).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        resource: RESOURCE,
        authorization_servers: [provider.issuer],
        scopes_supported: ['service', 'admin'],
        bearer_methods_supported: ['header'],
        resource_name: 'squad-mcp',
      });
    });

    it('is not found under another resource path', async () => {
      const res = await request(app.url).get('/.well-known/oauth-protected-resource/other');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found', error: 'Route not found' });
    });
  });

  describe('key rotation', () => {
    it('fetches the keys again for an unknown kid and accepts a token of the rotated key', async () => {
      const keyB = await newSigningKey('key-b', 'EdDSA');
      const token = await sign({}, '10m', keyB);
      const before = provider.jwksRequests;
      const early = await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
      expect(early.status).toBe(401);
      expect(auditOf(app, early.headers['x-request-id'] as string)).toMatchObject({ reason: 'token_unknown_key' });
      expect(provider.jwksRequests).toBe(before + 1);
      provider.published = [keyB, rsaKey];
      const late = await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
      expect(late.status).toBe(200);
      expect(provider.jwksRequests).toBe(before + 2);
      const retired = await request(app.url).post('/v1/mcp/get_squad').set(bearer(await sign())).send({ squad_id: 1 });
      expect(retired.status).toBe(401);
      provider.published = [keyA, rsaKey];
    });
  });
});

const FETCH_FAILURE = { fail: 'answered HTTP 500', reset: 'UND_ERR_SOCKET', hang: 'timed out' };

describe('JWT bearer tokens while the issuer is unreachable', () => {
  const provider = new IdentityProvider();
  let key: SigningKey;

  beforeAll(async () => {
    await provider.start();
    key = await newSigningKey('key-a');
    provider.published = [key];
  });

  afterAll(async () => {
    await provider.stop();
  });

  afterEach(() => {
    provider.behaviour = 'serve';
  });

  it.each(['fail', 'reset', 'hang'] as const)('answers 503 auth_unavailable, not 401, while no key was ever fetched (issuer %s)', async (behaviour) => {
    provider.behaviour = behaviour;
    const app = await startTestApp(
      tokenEnv(provider, { AUTH_JWKS_URL: `${provider.issuer}/jwks`, AUTH_FETCH_TIMEOUT_SECONDS: '0.3', AUTH_FAILURES_PER_MINUTE: '1' }),
    );
    const failuresBefore = fetchFailures(app).length;
    try {
      const token = await provider.sign(key, {}, { audience: RESOURCE, expiresIn: '10m' });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const res = await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: 'auth_unavailable', status: 'unavailable', error: 'Token verification temporarily unavailable' });
        expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
        expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ result: 'denied', reason: 'token_keys_unavailable' });
      }
      expect(provider.discoveryRequests).toBe(0);
      expect(fetchFailures(app).length).toBeGreaterThan(failuresBefore);
      expect(fetchFailures(app).at(-1)).toMatchObject({ reason: FETCH_FAILURE[behaviour], kept_keys: 0 });
      provider.behaviour = 'serve';
      const recovered = await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
      expect(recovered.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keeps accepting tokens with the cached keys after they are due for a refresh, and fetches at most once per cooldown', async () => {
    const clock = new TestClock();
    const app = await startTestApp(tokenEnv(provider, { AUTH_JWKS_MAX_AGE_SECONDS: '60', AUTH_JWKS_COOLDOWN_SECONDS: '30' }), { clock });
    try {
      const token = await provider.sign(key, {}, { audience: RESOURCE, expiresIn: '1h' });
      expect((await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 })).status).toBe(200);
      const fetched = provider.jwksRequests;
      provider.behaviour = 'fail';
      clock.advance(120_000);
      for (let call = 0; call < 3; call += 1) {
        const res = await request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
        expect(res.status).toBe(200);
      }
      expect(provider.jwksRequests).toBe(fetched + 1);
      expect(fetchFailures(app).at(-1)).toMatchObject({ reason: 'answered HTTP 500', kept_keys: 1 });
      const stranger = await provider.sign(await newSigningKey('key-z'), {}, { audience: RESOURCE, expiresIn: '1h' });
      const unknown = await request(app.url).post('/v1/mcp/get_squad').set(bearer(stranger)).send({ squad_id: 1 });
      expect(unknown.status).toBe(401);
      expect(provider.jwksRequests).toBe(fetched + 1);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits per token client', () => {
  const provider = new IdentityProvider();
  let app: TestApp;
  let key: SigningKey;

  beforeAll(async () => {
    await provider.start();
    key = await newSigningKey('key-a');
    provider.published = [key];
    app = await startTestApp(tokenEnv(provider, { RATE_LIMIT_RPM: '2' }));
  });

  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  it('gives each token client its own budget, whichever token it presents, on REST and MCP', async () => {
    const first = await provider.sign(key, { azp: 'limited-client' }, { audience: RESOURCE, expiresIn: '10m' });
    const second = await provider.sign(key, { azp: 'limited-client', sub: '5' }, { audience: RESOURCE, expiresIn: '10m' });
    const other = await provider.sign(key, { azp: 'other-client' }, { audience: RESOURCE, expiresIn: '10m' });
    const call = (token: string) => request(app.url).post('/v1/mcp/get_squad').set(bearer(token)).send({ squad_id: 1 });
    expect((await call(first)).headers['x-ratelimit-remaining']).toBe('1');
    expect((await call(second)).status).toBe(200);
    const refused = await call(first);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    const mcp = await request(app.url)
      .post('/mcp')
      .set({ ...bearer(second), Accept: 'application/json, text/event-stream', 'Mcp-Protocol-Version': '2025-11-25' })
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_squad', arguments: { squad_id: 1 } } });
    expect(mcp.status).toBe(429);
    expect((await call(other)).status).toBe(200);
    const metrics = await request(app.url).get('/metrics');
    expect(metrics.text).toContain('rate_limit_hits_total{client_id="limited-client"} 2');
    expect(metrics.text).not.toContain('rate_limit_hits_total{client_id="other-client"}');
  });
});

describe('rate-limit counters of different kinds', () => {
  const provider = new IdentityProvider();
  let app: TestApp;
  let key: SigningKey;

  beforeAll(async () => {
    await provider.start();
    key = await newSigningKey('key-a');
    provider.published = [key];
    app = await startTestApp(tokenEnv(provider, { RATE_LIMIT_RPM: '2', AUTH_FAILURES_PER_MINUTE: '2' }));
  });

  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  const call = (credential: string) => request(app.url).post('/v1/mcp/get_squad').set(bearer(credential)).send({ squad_id: 1 });
  const tokenOf = (azp: string) => provider.sign(key, { azp }, { audience: RESOURCE, expiresIn: '10m' });

  it("never spends an API key's budget for a token client of the same name", async () => {
    const namesakeOfTheKey = await tokenOf('primary');
    expect((await call(namesakeOfTheKey)).status).toBe(200);
    expect((await call(namesakeOfTheKey)).status).toBe(200);
    expect((await call(namesakeOfTheKey)).status).toBe(429);
    const keyCall = await call(SERVICE_KEY);
    expect(keyCall.status).toBe(200);
    expect(keyCall.headers['x-ratelimit-remaining']).toBe('1');
  });

  it("never arms an address's failed-login throttle for a token client named like its counter", async () => {
    const namedLikeTheCounter = await tokenOf('auth-failures:127.0.0.1');
    expect((await call(namedLikeTheCounter)).status).toBe(200);
    expect((await call(namedLikeTheCounter)).status).toBe(200);
    expect((await call('a-wrong-key-of-twenty-chars')).status).toBe(401);
    expect((await call(ADMIN_KEY)).status).toBe(200);
  });
});

describe('a tokens-only deployment', () => {
  it('serves tokens without any key, and an admin token may reload the (empty) keys', async () => {
    const provider = new IdentityProvider();
    await provider.start();
    const key = await newSigningKey('key-a');
    provider.published = [key];
    const app = await startTestApp(tokenEnv(provider, { API_KEY_PRIMARY: '', ADMIN_API_KEY: '' }));
    try {
      const admin = await provider.sign(key, { roles: ['admin'] }, { audience: RESOURCE, expiresIn: '10m' });
      expect((await request(app.url).post('/v1/mcp/get_squad').set(bearer(admin)).send({ squad_id: 1 })).status).toBe(200);
      expect((await request(app.url).post('/v1/mcp/get_squad').set(bearer(SERVICE_KEY)).send({ squad_id: 1 })).status).toBe(401);
      const reload = await request(app.url).post('/admin/reload-secrets').set(bearer(admin));
      expect(reload.status).toBe(200);
      expect(reload.body).toEqual({ status: 'reloaded', keys: 0 });
    } finally {
      await app.close();
      await provider.stop();
    }
  });
});

describe('a keys-only deployment', () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    const provider = new IdentityProvider();
    await provider.start();
    token = await provider.sign(await newSigningKey('key-a'), {}, { audience: RESOURCE, expiresIn: '10m' });
    await provider.stop();
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('treats a JWT as a wrong key: 401 with the plain Bearer challenge', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set(bearer(token)).send({ player_id: 1 });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject(UNAUTHORIZED);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ reason: 'invalid_key' });
  });

  it('has no protected resource metadata', async () => {
    const res = await request(app.url).get('/.well-known/oauth-protected-resource');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', error: 'Route not found' });
  });

  it('serves keys and X-User-ID as before', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set({ ...bearer(ADMIN_KEY), 'X-User-ID': '3' }).send({ player_id: 1 });
    expect(res.status).toBe(200);
    expect((res.body as Record<string, unknown>).email).toEqual(expect.stringContaining('@'));
    expect(auditOf(app, res.headers['x-request-id'] as string)).toMatchObject({ client_id: 'admin', user_id: '3', reason: 'valid_key' });
  });
});
