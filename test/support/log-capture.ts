import { Writable } from 'node:stream';

import type { Logger } from 'pino';

import { createRootLogger } from '../../src/observability/root-logger';

export type LogLine = Record<string, unknown> & { level: string; message?: string; request_id?: string | null; timestamp: string };

/** A root logger writing JSON lines into memory, so tests can read what the app logged. */
export class LogCapture {
  readonly raw: string[] = [];
  readonly logger: Logger;

  constructor(level: 'trace' | 'debug' | 'info' = 'info') {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.raw.push(...chunk.toString().split('\n').filter((line) => line !== ''));
        done();
      },
    });
    this.logger = createRootLogger(level, sink);
  }

  lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  forRequest(requestId: string): LogLine[] {
    return this.lines().filter((line) => line.request_id === requestId);
  }
}
