import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger as PinoLogger } from 'pino';

import { CLOCK, type Clock } from '../common/clock';
import { type CallRecord, currentRequestContext, type RequestContext, runWithRequestContext } from '../common/context/request-context';
import { clientAddressOf } from '../common/http/client-address';
import { routeTemplateOf } from '../common/http/route-template';
import { linesOf, ROOT_LOGGER } from '../observability/root-logger';

/** The interval over which refusals from one address are counted. */
export const AUDIT_AGGREGATION_MS = 10_000;
/** Refusals from one address written one by one in an interval; the rest become one summary line. */
export const AUDIT_REFUSALS_PER_INTERVAL = 100;

/** The status the line of a request whose client left reports (no response was sent), as proxies log it. */
const CLIENT_LEFT_STATUS = 499;

/** Whether the call (or the request) ran to its answer, or stopped because the client left. */
type Outcome = 'completed' | 'cancelled';

/** What one audit line reports: allowed, or denied with the reason. */
interface AccessDecision {
  readonly result: 'allowed' | 'denied';
  readonly reason: string;
}

/** The request's own decision: its refusal, or the way its caller was let in; none for public routes that refused nothing. */
function requestDecision(context: RequestContext): AccessDecision | undefined {
  if (context.refusal !== undefined) {
    return { result: 'denied', reason: context.refusal.reason };
  }
  return context.via === undefined ? undefined : { result: 'allowed', reason: `valid_${context.via}` };
}

/** A tool call's decision: its own refusal, or else the request's. */
function callDecision(call: CallRecord, request: AccessDecision | undefined): AccessDecision | undefined {
  return call.refusal === undefined ? request : { result: 'denied', reason: call.refusal.reason };
}

interface RefusalBurst {
  readonly startedAt: number;
  written: number;
  suppressed: number;
  readonly reasons: Map<string, number>;
}

/**
 * One `event: "audit"` line per access attempt, allowed or refused: a request that ran no tool is
 * one attempt, and each tool call of a request is one (a batch of three calls writes three lines).
 * Each line says who asked (client, end user, address), for which tool, the decision's reason,
 * the outcome (`completed`, or `cancelled` when the client left before the answer, written once
 * the call has stopped), and the request line's fields (method, route, status, latency). It reads the decisions where
 * they were taken: the request's refusal or authentication, and each call's refusal. Refusals from
 * one address are aggregated beyond AUDIT_REFUSALS_PER_INTERVAL in an interval: the rest become one
 * summary line with their count when the interval ends, so a flood cannot fill the logs.
 */
@Injectable()
export class AuditTrail implements OnModuleDestroy {
  private readonly lines: PinoLogger;
  private readonly bursts = new Map<string, RefusalBurst>();
  private readonly flusher: NodeJS.Timeout;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) root: PinoLogger,
  ) {
    this.lines = linesOf(root, 'Audit');
    this.flusher = setInterval(() => {
      this.flush(false);
    }, AUDIT_AGGREGATION_MS);
    this.flusher.unref();
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const context = currentRequestContext();
    const started = performance.now();
    res.once('close', () => {
      if (context === undefined) {
        return;
      }
      const write = (statusCode: number, outcome: Outcome): void => {
        runWithRequestContext(context, () => {
          this.recordRequest(context, req, statusCode, performance.now() - started, outcome);
        });
      };
      if (res.writableFinished) {
        write(res.statusCode, 'completed');
        return;
      }
      // The client left first: its calls are being cancelled; their lines follow once each has ended.
      void Promise.allSettled([...(context.callsRunning ?? [])]).then(() => {
        write(CLIENT_LEFT_STATUS, 'cancelled');
      });
    });
    next();
  };

  /** The request's lines: one per tool call it ran, or one for the request when it ran none. */
  private recordRequest(context: RequestContext, req: Request, statusCode: number, latencyMs: number, outcome: Outcome): void {
    const request = requestDecision(context);
    const calls = context.calls ?? [];
    if (calls.length === 0) {
      if (request !== undefined) {
        this.record(context, request, null, req, statusCode, latencyMs, outcome);
      }
      return;
    }
    for (const call of calls) {
      const decision = callDecision(call, request);
      if (decision !== undefined) {
        this.record(context, decision, call.tool, req, statusCode, latencyMs, call.cancelled ? 'cancelled' : 'completed');
      }
    }
  }

  private record(context: RequestContext, access: AccessDecision, tool: string | null, req: Request, statusCode: number, latencyMs: number, outcome: Outcome): void {
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
    const route = routeTemplateOf(req);
    // Also the request's access-log line: the request line of these routes is not written apart.
    this.lines.info(
      {
        event: 'audit',
        client_id: context.clientId ?? null,
        user_id: context.userId ?? null,
        client_address: address,
        tool,
        result: access.result,
        reason: access.reason,
        outcome,
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
    this.lines.info(
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
