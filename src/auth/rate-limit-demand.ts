import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

/** What one request asks of its caller's rate limit: the tool calls it will run, and whether anything else rides along. */
export interface RequestDemand {
  readonly toolCalls: number;
  readonly otherMessages: boolean;
}

/** How a route's requests are charged; routes that declare nothing are charged one unit and run no tool. */
export type DemandOf = (req: Request) => RequestDemand;

export const RATE_LIMIT_DEMAND = 'squad-mcp:rate-limit-demand';

export const NO_TOOL_CALL: RequestDemand = { toolCalls: 0, otherMessages: true };
export const ONE_TOOL_CALL: RequestDemand = { toolCalls: 1, otherMessages: false };
/** A request refused before it runs anything: it costs nothing. */
export const NOTHING: RequestDemand = { toolCalls: 0, otherMessages: false };

/**
 * Declares what a route's requests spend: one unit per tool call they will run (each call then
 * spends its unit as it starts), plus one unit for whatever else they carry.
 */
export const RateLimitDemand = (demandOf: DemandOf): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT_DEMAND, demandOf);
