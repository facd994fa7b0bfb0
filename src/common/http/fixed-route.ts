import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import { type CanActivate, type ExceptionFilter, ForbiddenException, type Type } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** What Express would run for one route, in its order. */
export interface FixedRouteSteps {
  /** The application's own middleware, as mounted with `app.use`. */
  readonly edge: readonly RequestHandler[];
  /** The middleware mounted for the route's path. */
  readonly routeMiddleware: readonly RequestHandler[];
  /** The global guards, in the order they are registered. */
  readonly guards: readonly CanActivate[];
  /** The controller's class and the instance whose method answers the route. */
  readonly controllerClass: Type;
  readonly controller: object;
  readonly handler: (req: Request, res: Response) => Promise<void>;
  /** Where a failure of any step goes: the application's global filter. */
  readonly filter: ExceptionFilter;
}

const mounted = new WeakMap<Server, FixedRoute>();

/** The route mounted in front of a server's Express application, if any. */
export function fixedRouteOf(server: Server): FixedRoute | undefined {
  return mounted.get(server);
}

/** The route object Express matched for a method and path, which request lines and metrics read the template from. */
function routeObjectOf(app: Express, method: string, path: string): object {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  const route = stack.find((layer) => layer.route?.path === path && layer.route.methods[method] === true)?.route;
  if (route === undefined) {
    throw new Error(`No ${method.toUpperCase()} ${path} route is mounted`);
  }
  return route;
}

/**
 * One route served by calling its steps directly: the requests `takes` accepts skip Express's and
 * Nest's routers, which look up the same steps on every request, and cross the same middleware,
 * guards, handler and exception filter, in the same order, with the same request and response
 * objects Express would give them. Every other request goes to Express.
 */
export class FixedRoute {
  private readonly route: object;
  private readonly steps: readonly RequestHandler[];
  private takenCount = 0;

  constructor(
    private readonly app: Express,
    method: string,
    private readonly path: string,
    private readonly takes: (req: IncomingMessage) => boolean,
    private readonly fixed: FixedRouteSteps,
  ) {
    this.route = routeObjectOf(app, method.toLowerCase(), path);
    this.steps = [...fixed.edge, ...fixed.routeMiddleware];
  }

  /** How many requests this route has taken since start. */
  get taken(): number {
    return this.takenCount;
  }

  /** Puts this route in front of Express as the server's request listener. */
  mount(server: Server): void {
    const listeners = server.listeners('request');
    if (listeners.length !== 1 || listeners[0] !== this.app) {
      throw new Error('The server must have Express as its only request listener');
    }
    server.removeListener('request', this.app);
    server.on('request', this.listener);
    mounted.set(server, this);
  }

  /** Gives every request back to Express. */
  unmount(server: Server): void {
    server.removeListener('request', this.listener);
    server.on('request', this.app);
    mounted.delete(server);
  }

  /** The server's request listener: this route's requests here, the rest to Express. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url !== this.path || !this.takes(req)) {
      this.app(req, res);
      return;
    }
    this.takenCount += 1;
    this.serve(this.asExpress(req, res), res as Response);
  };

  /** The request and response as Express's application hands them to its router. */
  private asExpress(req: IncomingMessage, res: ServerResponse): Request {
    const request = req as Request;
    const response = res as Response;
    request.res = response;
    response.req = request;
    Object.setPrototypeOf(request, this.app.request);
    Object.setPrototypeOf(response, this.app.response);
    response.locals = Object.create(null) as Response['locals'];
    request.baseUrl = '';
    request.originalUrl = req.url ?? this.path;
    request.params = {};
    return request;
  }

  private serve(req: Request, res: Response): void {
    let index = 0;
    const next: NextFunction = (error?: unknown): void => {
      if (error !== undefined && error !== null) {
        this.fail(error, req, res, next);
        return;
      }
      const step = this.steps[index];
      index += 1;
      if (step === undefined) {
        void this.answer(req, res, next);
        return;
      }
      try {
        const pending: unknown = step(req, res, next);
        if (pending instanceof Promise) {
          pending.catch((failure: unknown) => {
            this.fail(failure, req, res, next);
          });
        }
      } catch (failure) {
        this.fail(failure, req, res, next);
      }
    };
    next();
  }

  /** The guards, then the handler, as Nest's router runs them once the path's middleware is through. */
  private async answer(req: Request, res: Response, next: NextFunction): Promise<void> {
    (req as Request & { route: object }).route = this.route;
    const context = new ExecutionContextHost([req, res, next], this.fixed.controllerClass, this.fixed.handler);
    try {
      for (const guard of this.fixed.guards) {
        // As Nest does for a guard that says no without saying why.
        if ((await guard.canActivate(context)) === false) {
          throw new ForbiddenException('Forbidden resource');
        }
      }
      await this.fixed.handler.call(this.fixed.controller, req, res);
    } catch (failure) {
      this.fail(failure, req, res, next);
    }
  }

  private fail(failure: unknown, req: Request, res: Response, next: NextFunction): void {
    this.fixed.filter.catch(failure, new ExecutionContextHost([req, res, next]));
  }
}
