import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@nestjs/common';

import { runWithRequestContext } from '../common/context/request-context';
import { ErrorCode } from '../common/errors/error-code';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../observability/metrics';
import { Tracing } from '../observability/tracing/tracing';
import { UpstreamSpans } from '../observability/tracing/upstream-spans';
import { UpstreamHttp } from './upstream-http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server whose behaviour each test sets; it records what it was asked. */
class StandInServer {
  handler: Handler = (_req, res) => res.end('{}');
  readonly seen: IncomingMessage[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.seen.push(req);
    this.handler(req, res);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const asIs = (body: unknown): unknown => body;

describe('UpstreamHttp', () => {
  const stand = new StandInServer();
  let client: UpstreamHttp;

  beforeAll(async () => {
    const url = await stand.start();
    client = new UpstreamHttp(loadConfig({ API_BASE_URL: `${url}/ignored/path`, SERVICE_AUTH_TOKEN: 'svc-token', API_TIMEOUT_SECONDS: '1', API_MAX_RETRIES: '0' }), Metrics.detached(), new UpstreamSpans(Tracing.off));
  });

  afterAll(async () => {
    client.onModuleDestroy();
    await stand.stop();
  });

  beforeEach(() => {
    stand.seen.length = 0;
  });

  it('GETs JSON on the configured origin with the service token and the caller ids', async () => {
    stand.handler = (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"id":5}');
    };
    const body = await runWithRequestContext({ requestId: 'req-1', userId: '77' }, () => client.getJson(['api', 'players', 5], asIs));
    expect(body).toEqual({ id: 5 });
    const req = stand.seen[0]!;
    expect(req.url).toBe('/api/players/5');
    expect(req.headers.authorization).toBe('Bearer svc-token');
    expect(req.headers['x-request-id']).toBe('req-1');
    expect(req.headers['x-user-id']).toBe('77');
  });

  it('encodes path segments so a value cannot change the path', async () => {
    stand.handler = (_req, res) => res.end('{}');
    await client.getJson(['api', 'players', '../admin?x=1#y'], asIs);
    expect(stand.seen[0]!.url).toBe('/api/players/..%2Fadmin%3Fx%3D1%23y');
  });

  it('resolves undefined for a 404', async () => {
    stand.handler = (_req, res) => {
      res.statusCode = 404;
      res.end('{"detail":"Not found"}');
    };
    await expect(client.getJson(['api', 'players', 1], asIs)).resolves.toBeUndefined();
  });

  it('maps a 500 to upstream_unavailable', async () => {
    stand.handler = (_req, res) => {
      res.statusCode = 500;
      res.end('{"detail":"boom"}');
    };
    await expect(client.getJson(['api', 'players', 1], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
    expect(stand.seen).toHaveLength(1);
  });

  it.each([
    ['a redirect to another origin', 302, ''],
    ['a non-JSON body', 200, 'not json'],
  ])('maps %s to upstream_invalid without following or retrying it', async (_label, status, body) => {
    stand.handler = (_req, res) => {
      res.statusCode = status;
      if (status === 302) {
        res.setHeader('Location', 'http://169.254.169.254/latest/meta-data');
      }
      res.end(body);
    };
    await expect(client.getJson(['api', 'players', 1], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamInvalid });
    expect(stand.seen).toHaveLength(1);
  });

  it('maps a dropped connection to upstream_unavailable', async () => {
    stand.handler = (req) => req.socket.destroy();
    await expect(client.getJson(['api', 'players', 1], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
  });

  it('maps a response slower than the timeout to upstream_timeout', async () => {
    stand.handler = (_req, res) => setTimeout(() => res.end('{}'), 1500);
    await expect(client.getJson(['api', 'players', 1], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamTimeout, message: 'API timeout' });
  });

  it('refuses to start without API_BASE_URL', () => {
    expect(() => new UpstreamHttp(loadConfig({}), Metrics.detached(), new UpstreamSpans(Tracing.off))).toThrow('API_BASE_URL is not set');
  });
});

describe('UpstreamHttp retries', () => {
  const stand = new StandInServer();
  let url: string;
  const clients: UpstreamHttp[] = [];

  const clientWith = (env: Record<string, string>): UpstreamHttp => {
    const client = new UpstreamHttp(loadConfig({ API_BASE_URL: url, SERVICE_AUTH_TOKEN: 'svc-token', API_TIMEOUT_SECONDS: '1', ...env }), Metrics.detached(), new UpstreamSpans(Tracing.off));
    clients.push(client);
    return client;
  };

  const failing = (times: number, status = 503): Handler => {
    let failures = 0;
    return (_req, res) => {
      failures += 1;
      res.statusCode = failures <= times ? status : 200;
      res.end('{"id":5}');
    };
  };

  beforeAll(async () => {
    url = await stand.start();
  });

  afterAll(async () => {
    for (const client of clients) {
      client.onModuleDestroy();
    }
    await stand.stop();
  });

  beforeEach(() => {
    stand.seen.length = 0;
  });

  it('sends every retry with the service token and the caller ids', async () => {
    const client = clientWith({ API_MAX_RETRIES: '2', API_RETRY_BASE_DELAY_MS: '1' });
    stand.handler = failing(2);
    const body = await runWithRequestContext({ requestId: 'req-9', userId: '12' }, () => client.getJson(['api', 'players', 5], asIs));
    expect(body).toEqual({ id: 5 });
    expect(stand.seen.map((req) => [req.url, req.headers.authorization, req.headers['x-request-id'], req.headers['x-user-id']])).toEqual(
      Array.from({ length: 3 }, () => ['/api/players/5', 'Bearer svc-token', 'req-9', '12']),
    );
  });

  it('stops retrying once the failed attempts open the breaker', async () => {
    const client = clientWith({ API_MAX_RETRIES: '3', API_RETRY_BASE_DELAY_MS: '1', API_BREAKER_FAILURES: '2' });
    stand.handler = failing(10);
    await expect(client.getJson(['api', 'players', 5], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
    expect(stand.seen).toHaveLength(2);
    await expect(client.getJson(['api', 'players', 5], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
    expect(stand.seen).toHaveLength(2);
  });

  it('gives the connection back between attempts, so a queued call goes before the retry', async () => {
    const client = clientWith({ API_MAX_RETRIES: '1', API_RETRY_BASE_DELAY_MS: '150', API_MAX_CONNECTIONS: '1', API_MAX_QUEUE: '1' });
    const retried = failing(1);
    stand.handler = (req, res) => {
      if (req.url === '/api/players/1') {
        setTimeout(() => retried(req, res), 50);
      } else {
        res.end('{"id":2}');
      }
    };
    const first = client.getJson(['api', 'players', 1], asIs);
    while (stand.seen.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const queued = client.getJson(['api', 'players', 2], asIs);
    await expect(Promise.all([first, queued])).resolves.toEqual([{ id: 5 }, { id: 2 }]);
    expect(stand.seen.map((req) => req.url)).toEqual(['/api/players/1', '/api/players/2', '/api/players/1']);
  });

  it('logs each failed attempt once, saying whether another follows', async () => {
    const client = clientWith({ API_MAX_RETRIES: '2', API_RETRY_BASE_DELAY_MS: '1' });
    stand.handler = failing(10, 500);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await expect(client.getJson(['api', 'players', 5], asIs)).rejects.toMatchObject({ code: ErrorCode.UpstreamUnavailable });
      const attempts = warn.mock.calls.map(([line]) => line as { event?: string }).filter((line) => line.event === 'upstream_attempt_failed');
      expect(attempts).toMatchObject([
        { attempt: 1, retrying: true, reason: 'status_500', upstream_status: 500 },
        { attempt: 2, retrying: true, reason: 'status_500', upstream_status: 500 },
        { attempt: 3, retrying: false, reason: 'status_500', upstream_status: 500 },
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
