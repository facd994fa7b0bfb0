import { createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

import { closeServer, listenOnLoopback } from './loopback-server';

export type Behaviour =
  | 'forward'
  | 'reset'
  /** Never answers; the connection stays open until squad-mcp gives up. */
  | 'hang'
  /** Announces a full body with Content-Length, sends part of it, then closes the connection. */
  | 'truncate'
  /** Sends part of the body, then resets the connection. */
  | 'reset_mid_body'
  | { status: number; body?: string; headers?: Record<string, string> }
  | { delayMs: number };

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

/**
 * A real HTTP server between squad-mcp and the demo squad-api: it records every request and,
 * on command, answers with a fixed status or drops the connection instead of forwarding.
 */
export class RecordingProxy {
  readonly seen: SeenRequest[] = [];
  /** What to do with every request once `script` is used up. */
  behaviour: Behaviour = 'forward';
  /** One behaviour per coming request, in order, before falling back to `behaviour`. */
  script: Behaviour[] = [];
  /** Requests whose path matches are always forwarded, whatever the behaviour. */
  exempt: RegExp | undefined;
  private readonly server: Server;
  private target: URL;

  constructor(targetUrl: string) {
    this.target = new URL(targetUrl);
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Points the proxy at another server (a dependency that came back elsewhere). */
  retarget(url: string): void {
    this.target = new URL(url);
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.exempt?.test(req.url ?? '') === true) {
      this.forward(req, res);
      return;
    }
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
    const behaviour = this.script.shift() ?? this.behaviour;
    if (behaviour === 'hang') {
      return;
    }
    if (behaviour === 'truncate' || behaviour === 'reset_mid_body') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '400' });
      res.write('{"id":5,"callsign":"Tru', () => {
        if (behaviour === 'truncate') {
          res.socket?.end();
        } else {
          res.socket?.resetAndDestroy();
        }
      });
      return;
    }
    if (typeof behaviour === 'object' && 'delayMs' in behaviour) {
      const timer = setTimeout(() => this.forward(req, res), behaviour.delayMs);
      res.once('close', () => clearTimeout(timer));
      return;
    }
    if (behaviour === 'reset') {
      req.socket.destroy();
      return;
    }
    if (behaviour !== 'forward') {
      res.writeHead(behaviour.status, { 'Content-Type': 'application/json', ...behaviour.headers });
      res.end(behaviour.body ?? '{"detail":"injected"}');
      return;
    }
    this.forward(req, res);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}
