import { PassThrough } from 'node:stream';

import { logDestination, prettyDestination, wantsPrettyLogs } from './log-destination';
import { createRootLogger } from './root-logger';

function terminal(isTTY: boolean): NodeJS.WriteStream {
  return Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.WriteStream;
}

describe('wantsPrettyLogs', () => {
  it.each([
    ['auto', 'development', true, true],
    ['auto', 'staging', true, true],
    ['auto', 'development', false, false],
    ['auto', 'production', true, false],
    ['pretty', 'development', false, true],
    ['json', 'development', true, false],
  ] as const)('LOG_FORMAT=%s, ENVIRONMENT=%s, terminal %s → pretty %s', (logFormat, environment, isTerminal, expected) => {
    expect(wantsPrettyLogs({ logFormat, environment }, isTerminal)).toBe(expected);
  });
});

describe('prettyDestination', () => {
  it('writes one readable line per event: time, level, [context], message and the request id', () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const logger = createRootLogger('info', prettyDestination(output));
    logger.child({ context: 'Bootstrap' }).info('squad-mcp listening on http://127.0.0.1:8000');
    logger.warn({ request_id: 'req-7', event: 'slow_call' }, 'a slow call');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO.*: \[Bootstrap\] squad-mcp listening on http:\/\/127\.0\.0\.1:8000$/);
    expect(lines[1]).toMatch(/WARN.*: a slow call \(request req-7\)$/);
    expect(lines[2]).toMatch(/event: "slow_call"/);
    expect(text).not.toContain('{"level"');
  });
});

describe('logDestination', () => {
  it('keeps JSON (pino\'s own stdout writer) when the output is not a terminal', () => {
    expect(logDestination({ logFormat: 'auto', environment: 'development' }, terminal(false))).toBeUndefined();
  });

  it('prettifies for a terminal outside production', () => {
    expect(logDestination({ logFormat: 'auto', environment: 'development' }, terminal(true))).toBeDefined();
    expect(logDestination({ logFormat: 'auto', environment: 'production' }, terminal(true))).toBeUndefined();
  });
});
