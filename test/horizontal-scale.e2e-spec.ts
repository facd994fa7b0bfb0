import { randomBytes } from 'node:crypto';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Redis from 'ioredis';

import { callerCounter } from '../src/auth/rate-limit-counters';
import { keysFile } from './support/keys-file';
import { MODERN_PROTOCOL, structured } from './support/mcp-client';
import { registeredToolNames, startTestApp, type TestApp } from './support/test-app';
import { SHARED_COUNT_ENV, TEST_REDIS_URL, untilCountingInRedis } from './support/test-redis';

const REDIS_URL = TEST_REDIS_URL;
const LIMIT = 30;

/** A fetch that sends each request to the next instance in turn, like a round-robin balancer. */
function roundRobin(instances: readonly TestApp[], served: string[]): typeof fetch {
  let next = 0;
  return (input, init) => {
    const instance = instances[next % instances.length]!;
    next += 1;
    const target = new URL(input instanceof Request ? input.url : input.toString());
    const rewritten = new URL(target.pathname + target.search, instance.url);
    served.push(instance.url);
    return fetch(rewritten, init);
  };
}

describe('three instances behind a round-robin client', () => {
  const instances: TestApp[] = [];
  const redis = new Redis(REDIS_URL);
  const key = 'k_' + randomBytes(18).toString('base64url');
  const clientId = `fleet-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const file = await keysFile([{ id: clientId, key, rate_limit_rpm: LIMIT }]);
    for (let index = 0; index < 3; index += 1) {
      instances.push(await startTestApp({ ...SHARED_COUNT_ENV, API_KEYS_FILE: file }));
    }
    await untilCountingInRedis(...instances.map((instance) => instance.url));
    await redis.del(`squad-mcp:window:${callerCounter('key', clientId)}`);
  });

  afterAll(async () => {
    for (const instance of instances) {
      await instance.close();
    }
    await redis.quit();
  });

  it.each(['legacy', 'modern'] as const)('serves an MCP session (%s era) spread over every instance', async (era) => {
    const served: string[] = [];
    const client = new Client(
      { name: 'fleet', version: '1.0.0' },
      era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } } : {},
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', instances[0]!.url), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
        fetch: roundRobin(instances, served),
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(registeredToolNames(instances[0]!).sort());
      for (let call = 0; call < 6; call += 1) {
        const result = await client.callTool({ name: 'get_player', arguments: { player_id: call + 1 } });
        expect(result.isError).not.toBe(true);
        expect(structured(result)).toMatchObject({ id: call + 1 });
      }
    } finally {
      await client.close();
    }
    expect(new Set(served)).toEqual(new Set(instances.map((instance) => instance.url)));
  });

  it('holds one key limit across all three', async () => {
    await redis.del(`squad-mcp:window:${callerCounter('key', clientId)}`);
    const statuses: number[] = [];
    for (let call = 0; call < LIMIT + 3; call += 1) {
      const instance = instances[call % 3]!;
      const res = await fetch(new URL('/v1/mcp/get_player', instance.url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ player_id: 1 }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, LIMIT).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
  });
});
