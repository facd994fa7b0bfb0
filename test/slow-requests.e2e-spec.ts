import { connect, type Socket } from 'node:net';

import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Header and body time are bounded for every request, and earlier for one without credentials:
 * a client that sends slowly gets 408 and its connection closed, instead of holding it open.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ REQUEST_TIMEOUT_SECONDS: '3', UNAUTHENTICATED_REQUEST_TIMEOUT_SECONDS: '1' });
});

afterAll(async () => {
  await app.close();
});

interface Exchange {
  /** Everything the server sent. */
  readonly answer: string;
  /** How long until the server closed the connection. */
  readonly closedAfterMs: number;
}

/** Sends `head`, then the body one byte every `everyMs`, until the server closes the connection (or 8 s pass). */
function trickle(head: string, body: string, everyMs: number): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket: Socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < body.length && socket.writable) {
          socket.write(body[sent]!);
          sent += 1;
        }
      }, everyMs);
    });
    const giveUp = setTimeout(() => socket.destroy(), 8000);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
        reject(error);
      }
    });
  });
}

const BODY = '{"player_id": 1}';
const headOf = (auth: string): string =>
  `POST /v1/mcp/get_player HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`;

function bodyOf(answer: string): Record<string, unknown> {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('a body sent slowly', () => {
  it('without credentials is refused with 408 after the shorter bound, and the connection closed', async () => {
    const { answer, closedAfterMs } = await trickle(headOf(''), BODY, 250);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(answer)).toMatchObject({ code: 'request_timeout', status: 'error' });
    expect(closedAfterMs).toBeLessThan(2500);
  });

  it('with an unknown key is held to the shorter bound too', async () => {
    const { answer } = await trickle(headOf('Authorization: Bearer not-a-known-key-0123456789\r\n'), BODY, 250);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('with a valid key may take longer, within the request bound', async () => {
    const { answer } = await trickle(headOf(`Authorization: Bearer ${SERVICE_KEY}\r\n`).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'), BODY, 100);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(bodyOf(answer)).toMatchObject({ id: 1 });
  });

  it('with a valid key is refused with 408 once the request bound has passed', async () => {
    const { answer, closedAfterMs } = await trickle(headOf(`Authorization: Bearer ${SERVICE_KEY}\r\n`), BODY, 400);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(2900);
    expect(closedAfterMs).toBeLessThan(5000);
  });
});

describe('headers sent slowly', () => {
  it('are cut off after the shorter bound', async () => {
    const head = `POST /v1/mcp/get_player HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
    const { answer, closedAfterMs } = await trickle(head, 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 100);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(3500);
  });
});
