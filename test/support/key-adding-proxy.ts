import { createServer, request, type Server } from 'node:http';

import { closeServer, listenOnLoopback } from './loopback-server';

/**
 * An HTTP proxy that adds an API key to every request and changes nothing else (Host and Origin
 * pass as sent), for clients that cannot send one, such as the MCP conformance suite.
 */
export class KeyAddingProxy {
  private readonly server: Server;

  constructor(targetUrl: string, key: string) {
    const target = new URL(targetUrl);
    this.server = createServer((req, res) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${key}` } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502).end();
      });
      req.pipe(upstream);
    });
  }

  /** Starts listening on a free port of 127.0.0.1; resolves to the proxy's base URL. */
  async start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }
}
