import type { NextFunction, Request, Response } from 'express';

import type { Metrics } from './metrics';

/**
 * Counts every HTTP request once it has been answered, labelled with the route template
 * (`/v1/mcp/:tool`, never the raw URL) so the label set stays bounded.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.once('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      const endpoint = typeof route?.path === 'string' ? req.baseUrl + route.path : 'unmatched';
      metrics.httpRequest(endpoint, req.method, res.statusCode);
    });
    next();
  };
}
