/**
 * An open-loop, evenly paced load: request i leaves at start + i / rate whatever the server does,
 * over keep-alive connections opened as needed. autocannon's `overallRate` instead lets each
 * connection send its whole per-second quota back to back at the top of every second, so its
 * latencies at a "fixed rate" are those of a burst at full concurrency; this run shows the
 * latency of a steady stream at the same average rate.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedResult {
  readonly sent: number;
  readonly ok: number;
  /** Connection errors, non-2xx answers and answers that are not a tool success. */
  readonly failed: number;
  /** Latency of each successful call from the moment it was sent, in ms. */
  readonly latencies: Float64Array;
  /** Largest lag of a send behind its schedule, in ms (the generator keeping up). */
  readonly maxLagMs: number;
  /** Most connections open at once. */
  readonly sockets: number;
}

export async function pacedLoad(
  url: string,
  body: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
  isSuccess: (body: string) => boolean,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  const payload = Buffer.from(body);
  const requestHeaders = { ...headers, 'content-length': String(payload.length) };
  let failed = 0;
  let done = 0;
  let maxLagMs = 0;
  let sockets = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const settle = (): void => {
    done += 1;
    if (done === total) {
      finish();
    }
  };

  const send = (): void => {
    const sentAt = performance.now();
    const req = request(url, { method: 'POST', agent, headers: requestHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300 && isSuccess(Buffer.concat(chunks).toString('utf8'))) {
          latencies.push(performance.now() - sentAt);
        } else {
          failed += 1;
        }
        settle();
      });
    });
    req.on('error', () => {
      failed += 1;
      settle();
    });
    req.end(payload);
  };

  const start = performance.now() + 20;
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / rate <= now) {
      maxLagMs = Math.max(maxLagMs, now - (start + (sent * 1000) / rate));
      send();
      sent += 1;
    }
    sockets = Math.max(sockets, Object.values(agent.sockets).reduce((sum, list) => sum + (list?.length ?? 0), 0));
    await sleep(1);
  }
  await finished;
  agent.destroy();
  return { sent: total, ok: latencies.length, failed, latencies: Float64Array.from(latencies).sort(), maxLagMs, sockets };
}
