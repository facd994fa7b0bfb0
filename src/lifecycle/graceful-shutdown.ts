import type { Server } from 'node:http';
import { setTimeout } from 'node:timers/promises';

import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Tracks the requests in flight so that, on SIGTERM, the server stops accepting connections,
 * closes the idle keep-alive ones, answers everything still coming with `Connection: close`,
 * closes every connection as its answer ends (so clients and balancers holding a connection open
 * move to another replica), lets the calls it already has finish within a grace period, and only
 * then closes its pools.
 */
@Injectable()
export class GracefulShutdown {
  private readonly active = new Set<Response>();
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];

  readonly track = (req: Request, res: Response, next: NextFunction): void => {
    this.active.add(res);
    if (this.draining) {
      res.setHeader('Connection', 'close');
    }
    const connection = req.socket;
    res.once('close', () => {
      this.active.delete(res);
      // An answer whose headers left before the drain began promised keep-alive; a balancer would
      // send the next call down that connection to a stopping replica, so it ends with the answer.
      if (this.draining) {
        connection.end();
      }
      if (this.active.size === 0) {
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

  /**
   * Drains: first, for `announceMs`, readiness answers 503 and every answer closes its connection
   * while new connections are still accepted, so a balancer that has not yet seen the readiness
   * change loses no call; then it stops accepting connections and waits for in-flight requests,
   * at most `graceMs`.
   */
  async drain(server: Server, graceMs: number, announceMs = 0): Promise<{ finished: boolean; abandoned: number }> {
    this.draining = true;
    for (const res of this.active) {
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
      }
    }
    if (announceMs > 0) {
      server.closeIdleConnections();
      await setTimeout(announceMs);
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = this.active.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const finished = await Promise.race([idle.then(() => true), setTimeout(graceMs, false)]);
    const abandoned = this.active.size;
    if (!finished) {
      server.closeAllConnections();
    }
    await closed;
    return { finished, abandoned };
  }
}
