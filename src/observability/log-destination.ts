import type { DestinationStream } from 'pino';
import type * as PinoPrettyModule from 'pino-pretty';

import type { AppConfig } from '../config/app-config';

type LogSettings = Pick<AppConfig, 'logFormat' | 'environment'>;

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

/**
 * The same lines as the JSON logger writes, made readable: local time, level, `[context]` and the
 * message on one line, any further fields below it. pino-pretty is a development dependency, so it
 * is loaded only here; `undefined` when it is not installed (a production install), and the caller
 * keeps JSON.
 */
export function prettyDestination(output: NodeJS.WritableStream = process.stdout): DestinationStream | undefined {
  let pretty: typeof PinoPrettyModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as typeof PinoPrettyModule;
  } catch {
    return undefined;
  }
  return pretty.build({
    destination: output,
    sync: true,
    messageKey: 'message',
    timestampKey: 'timestamp',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'context,request_id',
    messageFormat: '{if context}[{context}] {end}{message}{if request_id} (request {request_id}){end}',
  });
}

/** Where the root logger writes: a pretty stream when wanted and available, else pino's JSON default. */
export function logDestination(settings: LogSettings, output: NodeJS.WriteStream = process.stdout): DestinationStream | undefined {
  return wantsPrettyLogs(settings, output.isTTY) ? prettyDestination(output) : undefined;
}
