import type { CallRecord } from './traffic';

export interface Row {
  readonly phase: string;
  readonly calls: number;
  readonly failed: number;
  readonly p99Ms: number;
  readonly note: string;
}

export function p99(records: readonly CallRecord[]): number {
  const latencies = records.map((record) => record.endedAt - record.startedAt).sort((a, b) => a - b);
  return latencies.length === 0 ? 0 : latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]!;
}

export function row(phase: string, records: readonly CallRecord[], note = ''): Row {
  const failed = records.filter((record) => !record.ok);
  const codes = new Map<string, number>();
  for (const record of failed) {
    codes.set(record.code ?? '?', (codes.get(record.code ?? '?') ?? 0) + 1);
  }
  const failures = [...codes].map(([code, count]) => `${code} x${count}`).join(', ');
  return { phase, calls: records.length, failed: failed.length, p99Ms: p99(records), note: [note, failures].filter((part) => part !== '').join('; ') };
}

/** The table the suite prints: one line per phase. */
export function table(rows: readonly Row[]): string {
  const header = ['phase', 'calls', 'failed', 'p99 ms', 'measured'];
  const cells = rows.map((r) => [r.phase, String(r.calls), String(r.failed), String(r.p99Ms), r.note]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: readonly string[]): string => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
