import { connect } from 'node:net';

export type ServerRow = Readonly<Record<string, string>>;

/** HAProxy's runtime API on its admin socket: server states and counters from `show stat`. */
export class HaproxyAdmin {
  constructor(
    private readonly socket: string,
    private readonly backend: string,
  ) {}

  private command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const client = connect(this.socket, () => client.end(`${line}\n`));
      client.on('data', (chunk: Buffer) => chunks.push(chunk));
      client.once('end', () => resolve(Buffer.concat(chunks).toString()));
      client.once('error', reject);
    });
  }

  /** The backend's rows of `show stat`, by server name (`BACKEND` for the backend itself). */
  async stats(): Promise<Map<string, ServerRow>> {
    const [header, ...lines] = (await this.command('show stat')).trim().split('\n');
    const columns = header!.replace(/^# /, '').split(',');
    const rows = new Map<string, ServerRow>();
    for (const line of lines) {
      const values = line.split(',');
      const row = Object.fromEntries(columns.map((column, index) => [column, values[index] ?? '']));
      if (row.pxname === this.backend) {
        rows.set(row.svname!, row);
      }
    }
    return rows;
  }

  async server(index: number): Promise<ServerRow> {
    const row = (await this.stats()).get(`mcp${index + 1}`);
    if (row === undefined) {
      throw new Error(`HAProxy has no server mcp${index + 1}`);
    }
    return row;
  }

  /** Polls until replica `index` is in the state (`UP`, `DOWN`); resolves with when it saw it. */
  async until(index: number, state: 'UP' | 'DOWN', timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.server(index)).status === state) {
        return Date.now();
      }
      if (Date.now() > deadline) {
        throw new Error(`HAProxy did not see mcp${index + 1} ${state} within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  untilUp(index: number): Promise<number> {
    return this.until(index, 'UP');
  }
}
