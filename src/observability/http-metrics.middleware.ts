import type { NextFunction, Request, Response } from 'express';

import { routeTemplateOf } from '../common/http/route-template';
import type { Metrics } from './metrics';

/**
 * Counts every HTTP request once it has been answered, labelled with the route template
 * (`/v1/mcp/:tool`, never the raw URL) so the label set stays bounded.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.once('finish', () => {
      metrics.httpRequest(routeTemplateOf(req), req.method, res.statusCode);
    });
    next();
  };
}
