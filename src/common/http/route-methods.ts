import type { Request } from 'express';

interface RouteLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  readonly matchers?: readonly ((path: string) => unknown)[];
}

// No endpoint has this path; a route that matches it matches every path (middleware mounted for all routes).
const NO_SUCH_PATH = '/\u0000/no-such-path';

function matches(layer: RouteLayer, path: string): boolean {
  return layer.matchers?.some((matcher) => matcher(path) !== false) === true;
}

/**
 * The methods the application serves at the request's path, read from the router itself so the
 * answer never drifts from the routes; empty when no route has that path.
 */
export function methodsServedAt(req: Request): string[] {
  const stack = (req.app as { router?: { stack?: readonly RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (layer.route !== undefined && matches(layer, req.path) && !matches(layer, NO_SUCH_PATH)) {
      for (const [method, served] of Object.entries(layer.route.methods)) {
        if (served && method !== '_all') {
          methods.add(method.toUpperCase());
        }
      }
    }
  }
  return [...methods].sort();
}
