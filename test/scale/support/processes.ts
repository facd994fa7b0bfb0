import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { connect,createServer } from 'node:net';
import { join } from 'node:path';

/** A port that was free a moment ago, for a process that binds it itself. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/** Resolves once something accepts TCP connections on `port`. */
export async function untilListening(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One real process of the stack: its output goes to a log file in the run's folder (read it when
 * a phase fails), and the last lines stay in memory for start-up checks.
 */
export class Service {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private recent = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: { cwd: string; env: Record<string, string>; logDir: string },
  ) {
    this.log = createWriteStream(join(options.logDir, `${name}.log`), { flags: 'a' });
    this.child = spawn(command, args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      this.log.write(chunk);
      this.recent = (this.recent + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until the output shows `pattern`; fails if the process exits first. */
  async output(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.recent);
      if (match !== null) {
        return match;
      }
      if (!this.running) {
        throw new Error(`${this.name} exited before printing ${String(pattern)}:\n${this.recent.slice(-2000)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.name} did not print ${String(pattern)} within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.running) {
      this.child.kill(signal);
    }
    const code = await this.exited;
    if (!this.log.writableEnded) {
      await new Promise<void>((resolve) => this.log.end(resolve));
    }
    return code;
  }
}
