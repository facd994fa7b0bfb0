import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { closeServer, listenOnLoopback } from './loopback-server';

/** How the stand-in answers: well, or in one of the ways a real endpoint fails. */
export type EmbeddingsBehaviour = 'ok' | 'status_500' | 'hang' | 'reset' | 'wrong_shape' | 'unauthorized';

export const STAND_IN_DIMENSIONS = 96;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A deterministic embedding: each word's character trigrams hashed into a fixed number of
 * dimensions. Texts that share words, or most of a word's letters (a typo), point the same way,
 * which is enough to exercise semantic ranking without a model.
 */
export function standInVector(text: string, dimensions = STAND_IN_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 3) {
      continue;
    }
    const padded = `^${word}$`;
    for (let start = 0; start + 3 <= padded.length; start += 1) {
      const slot = fnv1a(padded.slice(start, start + 3)) % dimensions;
      vector[slot] = (vector[slot] ?? 0) + 1;
    }
  }
  return vector;
}

/** One request the stand-in received. */
export interface EmbeddingsRequest {
  readonly model: string;
  readonly input: readonly string[];
  readonly authorization: string | undefined;
}

/**
 * A real HTTP server speaking the OpenAI embeddings API (`POST /v1/embeddings`), for tests: it
 * records every request and answers according to `behaviour`, which a test changes at will.
 */
export class EmbeddingsServer {
  behaviour: EmbeddingsBehaviour = 'ok';
  readonly requests: EmbeddingsRequest[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.handle(req, res);
  });

  constructor(private readonly dimensions = STAND_IN_DIMENSIONS) {}

  async start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  /** Requests that asked for the vector of this exact text. */
  requestsFor(text: string): number {
    return this.requests.filter((request) => request.input.includes(text)).length;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      this.requests.push({ model: body.model, input, authorization: req.headers.authorization });
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      switch (this.behaviour) {
        case 'hang':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'status_500':
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
          return;
        case 'unauthorized':
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
          return;
        case 'wrong_shape':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ vector: [1, 2, 3] }] }));
          return;
        case 'ok': {
          const data = input.map((text, index) => ({ object: 'embedding', index, embedding: standInVector(text, this.dimensions) }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', model: body.model, data }));
        }
      }
    });
  }
}
