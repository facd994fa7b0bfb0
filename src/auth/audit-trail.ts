import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { CLOCK, type Clock } from '../common/clock';
import { type AccessDecision, currentRequestContext, type RequestContext } from '../common/context/request-context';
import { clientAddressOf } from '../common/http/client-address';

function routeOf(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? req.baseUrl + route.path : 'unmatched';
}

/** The interval over which refusals from one address are counted. */
export const AUDIT_AGGREGATION_MS = 10_000;
/** Refusals from one address written one by one in an interval; the rest become one summary line. */
export const AUDIT_REFUSALS_PER_INTERVAL = 100;

interface RefusalBurst {
  readonly startedAt: number;
  written: number;
  suppressed: number;
  readonly reasons: Map<string, number>;
}

/**
 * One `event: "audit"` line per access attempt on a protected route, allowed or refused, with
 * who asked (client, end user, address), for which tool, the decision's reason, and the request
 * line's fields (method, route, status, latency). Refusals from
 * one address are aggregated beyond AUDIT_REFUSALS_PER_INTERVAL in an interval: the rest become one
 * summary line with their count when the interval ends, so a flood cannot fill the logs.
 */
@Injectable()
export class AuditTrail implements OnModuleDestroy {
  private readonly logger = new Logger('Audit');
  private readonly bursts = new Map<string, RefusalBurst>();
  private readonly flusher: NodeJS.Timeout;

  constructor(@Inject(CLOCK) private readonly clock: Clock) {
    this.flusher = setInterval(() => {
      this.flush(false);
    }, AUDIT_AGGREGATION_MS);
    this.flusher.unref();
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const context = currentRequestContext();
    const started = performance.now();
    res.once('finish', () => {
      const access = context?.access;
      if (context !== undefined && access !== undefined) {
        this.record(context, access, req, res.statusCode, performance.now() - started);
      }
    });
    next();
  };

  private record(context: RequestContext, access: AccessDecision, req: Request, statusCode: number, latencyMs: number): void {
    const address = clientAddressOf(req);
    if (access.result === 'denied') {
      let burst = this.bursts.get(address);
      if (burst === undefined || this.clock.now() - burst.startedAt >= AUDIT_AGGREGATION_MS) {
        this.flushOne(address);
        burst = { startedAt: this.clock.now(), written: 0, suppressed: 0, reasons: new Map() };
        this.bursts.set(address, burst);
      }
      if (burst.written >= AUDIT_REFUSALS_PER_INTERVAL) {
        burst.suppressed += 1;
        burst.reasons.set(access.reason, (burst.reasons.get(access.reason) ?? 0) + 1);
        return;
      }
      burst.written += 1;
    }
    const route = routeOf(req);
    // Also the request's access-log line: the request line of these routes is not written apart.
    this.logger.log(
      {
        event: 'audit',
        client_id: context.clientId ?? null,
        user_id: context.userId ?? null,
        client_address: address,
        tool: context.tool ?? null,
        result: access.result,
        reason: access.reason,
        method: req.method,
        route,
        status_code: statusCode,
        latency_ms: Math.round(latencyMs * 1000) / 1000,
      },
      `${req.method} ${route} ${statusCode}: access ${access.result}`,
    );
  }

  /** Writes the summary of every burst whose interval ended (or of all, at shutdown). */
  private flush(all: boolean): void {
    for (const [address, burst] of this.bursts) {
      if (all || this.clock.now() - burst.startedAt >= AUDIT_AGGREGATION_MS) {
        this.flushOne(address);
      }
    }
  }

  private flushOne(address: string): void {
    const burst = this.bursts.get(address);
    this.bursts.delete(address);
    if (burst === undefined || burst.suppressed === 0) {
      return;
    }
    this.logger.log(
      {
        event: 'audit',
        result: 'denied',
        reason: 'repeated_refusals',
        client_address: address,
        count: burst.suppressed,
        reasons: Object.fromEntries(burst.reasons),
        interval_seconds: AUDIT_AGGREGATION_MS / 1000,
      },
      `${burst.suppressed} more refusals from one address`,
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.flusher);
    this.flush(true);
  }
}
