import { createServer } from 'node:net';

import { EmbeddingsServer, standInVector } from '../../test/support/embeddings-server';
import { runWithCallSignal } from '../common/cancellation/call-signal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { EmbeddingsClient, EmbeddingsFailure } from './embeddings-client';

const settings = { model: 'stand-in', apiKey: 'secret-key', dimensions: undefined, timeoutMs: 300, maxRetries: 2 };

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmbeddingsFailure) {
      return error.reason;
    }
    throw error;
  }
  throw new Error('expected a failure');
}

describe('EmbeddingsClient', () => {
  const server = new EmbeddingsServer();
  let url: string;

  beforeAll(async () => {
    url = await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.behaviour = 'ok';
    server.requests.length = 0;
  });

  it('posts the texts to /v1/embeddings with the model and key, and returns the vectors in input order', async () => {
    const client = new EmbeddingsClient({ ...settings, url: `${url}/v1/` });
    const vectors = await client.embed(['masks on', 'barrel covers']);
    expect(vectors).toEqual([standInVector('masks on'), standInVector('barrel covers')]);
    expect(server.requests).toEqual([{ model: 'stand-in', input: ['masks on', 'barrel covers'], authorization: 'Bearer secret-key' }]);
  });

  it('asks nothing for no texts', async () => {
    await expect(new EmbeddingsClient({ ...settings, url }).embed([])).resolves.toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('retries a 500 and gives up after the retries', async () => {
    server.behaviour = 'status_500';
    await expect(failure(new EmbeddingsClient({ ...settings, url }).embed(['x']))).resolves.toBe('status_500');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a refused key', async () => {
    server.behaviour = 'unauthorized';
    await expect(failure(new EmbeddingsClient({ ...settings, url }).embed(['x']))).resolves.toBe('status_401');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an answer of the wrong shape without retrying', async () => {
    server.behaviour = 'wrong_shape';
    await expect(failure(new EmbeddingsClient({ ...settings, url }).embed(['x']))).resolves.toBe('invalid_body');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses vectors of another size than EMBEDDINGS_DIMENSIONS', async () => {
    await expect(failure(new EmbeddingsClient({ ...settings, url, dimensions: 3 }).embed(['x']))).resolves.toBe('invalid_body');
  });

  it('times out a hanging endpoint on each attempt', async () => {
    server.behaviour = 'hang';
    await expect(failure(new EmbeddingsClient({ ...settings, url, maxRetries: 1 }).embed(['x']))).resolves.toBe('timeout');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a refused connection as a network failure', async () => {
    await expect(failure(new EmbeddingsClient({ ...settings, url: await closedPort(), maxRetries: 0 }).embed(['x']))).resolves.toBe('network');
  });

  it('opens its breaker after five failed attempts and then fails fast without calling', async () => {
    server.behaviour = 'status_500';
    const client = new EmbeddingsClient({ ...settings, url, maxRetries: 0 });
    for (let call = 0; call < 5; call += 1) {
      await expect(failure(client.embed(['x']))).resolves.toBe('status_500');
    }
    server.behaviour = 'ok';
    await expect(failure(client.embed(['x']))).resolves.toBe('circuit_open');
    expect(server.requests).toHaveLength(5);
  });

  describe("when the tool call's caller leaves", () => {
    async function cancelledOnceAsked(client: EmbeddingsClient): Promise<unknown> {
      const caller = new AbortController();
      const embedding = runWithCallSignal(caller.signal, () => client.embed(['who leaves']));
      const outcome = embedding.then(
        () => 'answered',
        (error: unknown) => error,
      );
      while (server.requests.length === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      caller.abort();
      return outcome;
    }

    it('aborts the request under way and rejects with the cancellation, without retrying', async () => {
      server.behaviour = 'hang';
      const client = new EmbeddingsClient({ ...settings, timeoutMs: 30_000, url });
      const error = await cancelledOnceAsked(client);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.Cancelled);
      expect(server.requests).toHaveLength(1);
    });

    it('ends the pause before a retry and never sends it', async () => {
      server.behaviour = 'status_500';
      const client = new EmbeddingsClient({ ...settings, timeoutMs: 30_000, url });
      const error = await cancelledOnceAsked(client);
      expect((error as AppError).code).toBe(ErrorCode.Cancelled);
      expect(server.requests).toHaveLength(1);
    });
  });
});
