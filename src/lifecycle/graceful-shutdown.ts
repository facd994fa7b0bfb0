import type { Server } from 'node:http';
import { setTimeout } from 'node:timers/promises';

import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Counts requests in flight so that, on SIGTERM, the server can stop accepting connections,
 * let the calls it already has finish within a grace period, and only then close its pools.
 */
@Injectable()
export class GracefulShutdown {
  private active = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    this.active += 1;
    res.once('close', () => {
      this.active -= 1;
      if (this.active === 0) {
        this.idleWaiters.splice(0).forEach((resolve) => {
          resolve();
        });
      }
    });
    next();
  };

  get isDraining(): boolean {
    return this.draining;
  }

  /** Stops accepting connections and waits for in-flight requests, at most `graceMs`. */
  async drain(server: Server, graceMs: number): Promise<{ finished: boolean; abandoned: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = this.active === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const finished = await Promise.race([idle.then(() => true), setTimeout(graceMs, false)]);
    const abandoned = this.active;
    if (!finished) {
      server.closeAllConnections();
    }
    await closed;
    return { finished, abandoned };
  }
}
