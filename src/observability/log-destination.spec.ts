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

function capture(): { output: PassThrough; text: () => string } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output, text: () => text };
}

/** The three lines a successful tool call logs, as the pipeline and the audit write them. */
function logOneCall(logger: ReturnType<typeof createRootLogger>): void {
  const call = { request_id: 'req-9', tool_name: 'get_player', tool_version: '1.0.0', client_id: 'primary', user_id: null, surface: 'rest' };
  logger.child({ context: 'ToolCall' }).info({ ...call, event: 'tool_call_start' }, 'get_player called');
  logger.child({ context: 'ToolCall' }).info({ ...call, latency_ms: 585.558, status: 'ok', event: 'tool_call_end' }, 'get_player succeeded');
  logger
    .child({ context: 'Audit' })
    .info({ request_id: 'req-9', event: 'audit', client_id: 'primary', tool: 'get_player', result: 'allowed', reason: 'valid_key' }, 'POST /v1/mcp/:tool 200: access allowed');
}

describe('prettyDestination', () => {
  it('shows a tool call as one line: what happened, in how long, and the request id', () => {
    const { output, text } = capture();
    logOneCall(createRootLogger('info', prettyDestination(output)));
    expect(text().trimEnd().split('\n')).toEqual([expect.stringMatching(/INFO.*: \[ToolCall\] get_player succeeded in 586 ms \(request req-9\)$/)]);
  });

  it('shows every line of the call with its fields when detailed (LOG_LEVEL=debug)', () => {
    const { output, text } = capture();
    logOneCall(createRootLogger('debug', prettyDestination(output, true)));
    expect(text()).toMatch(/get_player called/);
    expect(text()).toMatch(/access allowed/);
    expect(text()).toMatch(/latency_ms: 585\.558/);
  });

  it('keeps a refusal on one line with its code, and an error with all its details', () => {
    const { output, text } = capture();
    const logger = createRootLogger('info', prettyDestination(output)).child({ context: 'ToolCall' });
    logger.warn({ request_id: 'req-3', latency_ms: 4, status: 'not_found', error: 'Player 9 not found', event: 'tool_call_error' }, 'get_player failed');
    logger.error({ request_id: 'req-4', status: 'internal_error', event: 'tool_call_error' }, 'get_player failed');
    const lines = text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/WARN.*get_player failed in 4 ms \(not_found: Player 9 not found\) \(request req-3\)$/);
    expect(lines[1]).toMatch(/ERROR.*get_player failed \(request req-4\)$/);
    expect(lines.slice(2).join('\n')).toMatch(/status: "internal_error"/);
  });

  it('writes one readable line per event: time, level, [context], message and the request id', () => {
    const { output, text: read } = capture();
    const logger = createRootLogger('info', prettyDestination(output, true));
    logger.child({ context: 'Bootstrap' }).info('squad-mcp listening on http://127.0.0.1:8000');
    logger.warn({ request_id: 'req-7', event: 'slow_call' }, 'a slow call');
    const text = read();
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

  it('hands a line that is not JSON to the console as it is', () => {
    const { output, text } = capture();
    prettyDestination(output)!.write('plain words\n');
    expect(text()).toContain('plain words');
  });
});
