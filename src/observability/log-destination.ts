import type { DestinationStream } from 'pino';
import type * as PinoPrettyModule from 'pino-pretty';

import type { AppConfig } from '../config/app-config';

type LogSettings = Pick<AppConfig, 'logFormat' | 'environment'> & Partial<Pick<AppConfig, 'logLevel'>>;

/** Pretty lines for a person at a terminal; JSON lines for production and whenever stdout is piped. */
export function wantsPrettyLogs(settings: LogSettings, stdoutIsTerminal: boolean): boolean {
  switch (settings.logFormat) {
    case 'pretty':
      return true;
    case 'json':
      return false;
    case 'auto':
      return stdoutIsTerminal && settings.environment !== 'production';
  }
}

type LogLine = Record<string, unknown>;

/** Fields of a brief line besides its message: the rest of the event shows at debug. */
const BRIEF_FIELDS = ['timestamp', 'level', 'context', 'request_id'] as const;

/**
 * What a person at the console sees of one log line, by default: nothing for the lines that only
 * repeat a call another line reports (its start, and the audit line of an allowed tool call), one
 * line for the rest — the message, the call's latency, and what went wrong — and everything for
 * errors, whose details are what the reader is after. `undefined` drops the line.
 */
export function briefLine(line: LogLine): LogLine | undefined {
  if (line.level === 'error' || line.level === 'fatal') {
    return line;
  }
  if (line.event === 'tool_call_start' || (line.event === 'audit' && line.result === 'allowed' && typeof line.tool === 'string')) {
    return undefined;
  }
  let message = typeof line.message === 'string' ? line.message : '';
  if (typeof line.latency_ms === 'number') {
    message += ` in ${Math.round(line.latency_ms)} ms`;
  }
  if (typeof line.status === 'string' && line.status !== 'ok') {
    message += typeof line.error === 'string' ? ` (${line.status}: ${line.error})` : ` (${line.status})`;
  }
  const brief: LogLine = { message };
  for (const field of BRIEF_FIELDS) {
    if (line[field] !== undefined && line[field] !== null) {
      brief[field] = line[field];
    }
  }
  return brief;
}

/** Passes each JSON line on as its brief form (see briefLine). */
function briefly(pretty: DestinationStream): DestinationStream {
  return {
    write(chunk: string): void {
      for (const text of chunk.split('\n')) {
        if (text === '') {
          continue;
        }
        let line: LogLine;
        try {
          line = JSON.parse(text) as LogLine;
        } catch (error) {
          if (!(error instanceof SyntaxError)) {
            throw error;
          }
          pretty.write(`${text}\n`);
          continue;
        }
        const brief = briefLine(line);
        if (brief !== undefined) {
          pretty.write(`${JSON.stringify(brief)}\n`);
        }
      }
    },
  };
}

/**
 * The same lines as the JSON logger writes, made readable: local time, level, `[context]` and the
 * message on one line — one line per tool call, unless `detailed` (LOG_LEVEL=debug or trace),
 * which keeps every line with its fields below it. pino-pretty is a development dependency, so it
 * is loaded only here; `undefined` when it is not installed (a production install), and the caller
 * keeps JSON.
 */
export function prettyDestination(output: NodeJS.WritableStream = process.stdout, detailed = false): DestinationStream | undefined {
  let pretty: typeof PinoPrettyModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as typeof PinoPrettyModule;
  } catch {
    return undefined;
  }
  const stream = pretty.build({
    destination: output,
    sync: true,
    messageKey: 'message',
    timestampKey: 'timestamp',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'context,request_id',
    messageFormat: '{if context}[{context}] {end}{message}{if request_id} (request {request_id}){end}',
  });
  return detailed ? stream : briefly(stream);
}

/** Where the root logger writes: a pretty stream when wanted and available, else pino's JSON default. */
export function logDestination(settings: LogSettings, output: NodeJS.WriteStream = process.stdout): DestinationStream | undefined {
  const detailed = settings.logLevel === 'debug' || settings.logLevel === 'trace';
  return wantsPrettyLogs(settings, output.isTTY) ? prettyDestination(output, detailed) : undefined;
}
