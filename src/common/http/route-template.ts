import type { Request } from 'express';

/** The catch-all path Nest mounts route-scoped middleware on (Host/Origin checks, spans); it is no route of ours. */
const MIDDLEWARE_CATCH_ALL = '{/*splat}';

/**
 * The template of the route that answered a request (`/v1/mcp/:tool`, never the raw URL), for
 * request lines, audit lines and metric labels; `unmatched` for a request refused before it
 * reached a route.
 */
export function routeTemplateOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && path !== MIDDLEWARE_CATCH_ALL ? req.baseUrl + path : 'unmatched';
}
