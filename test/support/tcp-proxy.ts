import { connect, createServer, type Server, type Socket } from 'node:net';

export type TcpMode = 'forward' | 'stall' | 'refuse';

/**
 * A raw TCP proxy in front of a real server (Redis, PostgreSQL) that misbehaves on command:
 * `stall` holds every byte from clients until the mode changes (the server seems to answer
 * nothing, as during Redis's DEBUG SLEEP), `refuse` drops every connection and refuses new
 * ones (a server that went away or restarts).
 */
export class TcpProxy {
  private modeNow: TcpMode = 'forward';
  private readonly pairs = new Set<{ client: Socket; server: Socket; held: Buffer[] }>();
  private readonly server: Server;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => {
      this.accept(client);
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  get mode(): TcpMode {
    return this.modeNow;
  }

  set mode(mode: TcpMode) {
    this.modeNow = mode;
    for (const pair of this.pairs) {
      if (mode === 'refuse') {
        pair.client.destroy();
        pair.server.destroy();
      } else if (mode === 'forward') {
        pair.held.splice(0).forEach((chunk) => pair.server.write(chunk));
      }
    }
  }

  async stop(): Promise<void> {
    this.mode = 'refuse';
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.modeNow === 'refuse') {
      client.destroy();
      return;
    }
    const server = connect(this.targetPort, this.targetHost);
    const pair = { client, server, held: [] as Buffer[] };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (this.modeNow === 'stall') {
        pair.held.push(chunk);
      } else {
        server.write(chunk);
      }
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', close);
    server.on('close', close);
    client.on('error', close);
    server.on('error', close);
  }
}
