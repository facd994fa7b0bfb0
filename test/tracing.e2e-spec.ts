import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { helpCenterDatabase } from './support/documents-database';
import { connectMcp, type Era, MODERN_PROTOCOL, toolBody } from './support/mcp-client';
import { OtlpReceiver, type ReceivedHistogramPoint, type ReceivedSpan, SpanKindNumber, STATUS_ERROR, STATUS_UNSET } from './support/otlp-receiver';
import type { RecordingProxy } from './support/recording-proxy';
import { SERVICE_KEY, startTestApp, startTestAppBehindProxy, type TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

type Proxied = TestApp & { proxy: RecordingProxy };

const auth = { Authorization: `Bearer ${SERVICE_KEY}` };
const CALLER_SPAN = '00f067aa0ba902b7';
// One caller trace per test, so no test reads another's spans.
const META_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const REST_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';
const BATCH_TRACE = '6bf92f3577b34da6a3ce929d0e0e4738';
const REFUSED_TRACE = '7bf92f3577b34da6a3ce929d0e0e4739';
const UNTRACED_TRACE = '8bf92f3577b34da6a3ce929d0e0e473a';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

function only(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const matching = spans.filter((span) => span.name === name);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

function childrenOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId);
}

/** The trace id and parent span id squad-api was given in `traceparent`. */
function upstreamParent(proxy: RecordingProxy): { traceId: string; spanId: string } {
  expect(proxy.seen).toHaveLength(1);
  const match = TRACEPARENT.exec(String(proxy.seen[0]!.headers.traceparent));
  expect(match).not.toBeNull();
  return { traceId: match![1]!, spanId: match![2]! };
}

describe('tracing', () => {
  let receiver: OtlpReceiver;
  let app: Proxied;

  beforeAll(async () => {
    receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    app = await startTestAppBehindProxy({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_METRIC_EXPORT_INTERVAL: '50',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
    });
  });

  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  beforeEach(() => {
    app.proxy.behaviour = 'forward';
    app.proxy.seen.length = 0;
  });

  describe.each<[Era, string]>([
    ['legacy', '2025-11-25'],
    ['modern', MODERN_PROTOCOL],
  ])('an MCP tool call in the %s era', (era, protocolVersion) => {
    let client: Client;

    beforeAll(async () => {
      client = await connectMcp(app.url, SERVICE_KEY, era);
    });

    afterAll(async () => {
      await client.close();
    });

    it('is a server span named after the tool, under the HTTP span, with the squad-api request as its child', async () => {
      const result = await client.callTool({ name: 'get_player', arguments: { player_id: 5 } });
      expect(toolBody<{ id: number }>(result).id).toBe(5);
      const upstream = upstreamParent(app.proxy);
      const spans = await receiver.waitFor((received) => received.some((span) => span.spanId === upstream.spanId));
      const trace = spans.filter((span) => span.traceId === upstream.traceId);
      const attempt = only(trace, 'GET');
      const tool = only(trace, 'tools/call get_player');
      const http = only(trace, 'POST /mcp');

      expect(tool).toMatchObject({ kind: SpanKindNumber.server, parentSpanId: http.spanId, serviceName: 'squad-mcp' });
      expect(tool.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'get_player',
        'gen_ai.operation.name': 'execute_tool',
        'mcp.protocol.version': protocolVersion,
        'jsonrpc.request.id': expect.stringMatching(/^\d+$/) as string,
      });
      expect(tool.attributes['error.type']).toBeUndefined();
      expect(http).toMatchObject({ kind: SpanKindNumber.server, parentSpanId: undefined });
      expect(http.attributes).toMatchObject({ 'http.route': '/mcp', 'http.response.status_code': 200 });
      const connection = { 'network.protocol.name': 'http', 'network.protocol.version': '1.1', 'network.transport': 'tcp', 'client.address': '127.0.0.1' };
      expect(tool.attributes).toMatchObject(connection);
      expect(http.attributes).toMatchObject(connection);
      const execution = only(trace, 'execute_tool get_player');
      expect(execution).toMatchObject({ kind: SpanKindNumber.internal, parentSpanId: tool.spanId });
      expect(execution.attributes).toMatchObject({ 'gen_ai.tool.name': 'get_player', 'gen_ai.operation.name': 'execute_tool' });
      expect(attempt).toMatchObject({ kind: SpanKindNumber.client, parentSpanId: execution.spanId });
      expect(attempt.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': expect.stringContaining('/players/5') as string });
    });

    it('marks a tool answer with isError as a tool_error', async () => {
      const result = await client.callTool({ name: 'get_player', arguments: { player_id: 999_999 } });
      expect(toolBody<{ code: string }>(result).code).toBe('not_found');
      const { traceId } = upstreamParent(app.proxy);
      const spans = await receiver.waitFor((received) => received.some((span) => span.traceId === traceId && span.name === 'tools/call get_player'));
      const tool = only(spans.filter((span) => span.traceId === traceId), 'tools/call get_player');
      expect(tool.attributes['error.type']).toBe('tool_error');
      expect(tool.status.code).toBe(STATUS_ERROR);
    });

    it("exports each call's duration as mcp.server.operation.duration, in seconds with the conventions' buckets", async () => {
      await client.callTool({ name: 'get_player', arguments: { player_id: 6 } });
      await client.callTool({ name: 'get_player', arguments: { player_id: 999_998 } });
      const isGetPlayer = (point: ReceivedHistogramPoint): boolean =>
        point.name === 'mcp.server.operation.duration' && point.attributes['gen_ai.tool.name'] === 'get_player' && point.attributes['mcp.protocol.version'] === protocolVersion;
      const ok = await receiver.waitForHistogram((point) => isGetPlayer(point) && point.attributes['error.type'] === undefined);
      expect(ok).toMatchObject({ serviceName: 'squad-mcp', unit: 's', explicitBounds: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] });
      expect(ok.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_player', 'mcp.protocol.version': protocolVersion });
      expect(ok.count).toBeGreaterThanOrEqual(1);
      const failed = await receiver.waitForHistogram((point) => isGetPlayer(point) && point.attributes['error.type'] === 'tool_error');
      expect(failed.count).toBeGreaterThanOrEqual(1);
    });
  });

  it('records an unknown tool in mcp.server.operation.duration by its error code alone, never by its name', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    await expect(client.callTool({ name: 'no_such_tool_metric', arguments: {} })).rejects.toThrow();
    await client.close();
    const point = await receiver.waitForHistogram((candidate) => candidate.attributes['error.type'] === '-32602' && candidate.attributes['mcp.method.name'] === 'tools/call');
    expect(point.attributes).toEqual({ 'mcp.method.name': 'tools/call', 'mcp.protocol.version': MODERN_PROTOCOL, 'error.type': '-32602' });
    expect(receiver.histograms.some((candidate) => Object.values(candidate.attributes).includes('no_such_tool_metric'))).toBe(false);
  });

  it('keeps an unknown tool name out of the span name, records the JSON-RPC error code, and leaves the status to the caller', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    await expect(client.callTool({ name: 'no_such_tool_xyz', arguments: {} })).rejects.toThrow();
    await client.close();
    const spans = await receiver.waitFor((received) => received.some((span) => span.attributes['gen_ai.tool.name'] === 'no_such_tool_xyz'));
    const failed = spans.find((span) => span.attributes['gen_ai.tool.name'] === 'no_such_tool_xyz')!;
    expect(failed.name).toBe('tools/call');
    expect(failed.attributes).toMatchObject({ 'error.type': '-32602', 'rpc.response.status_code': '-32602' });
    expect(failed.status.code ?? STATUS_UNSET).toBe(STATUS_UNSET);
  });

  it.each([
    ['an unknown method', { method: 'no/such_method', params: {} }, '-32601', {}],
    ['an unknown resource', { method: 'resources/read', params: { uri: 'squad://players/999999999' } }, '-32602', { 'Mcp-Name': 'squad://players/999999999' }],
  ])('records %s as the caller\'s error without marking the server span failed', async (_name, call, code, headers) => {
    const meta = { 'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL, 'io.modelcontextprotocol/clientCapabilities': {} };
    const res = await request(app.url)
      .post('/mcp')
      .set({ Authorization: `Bearer ${SERVICE_KEY}`, Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': MODERN_PROTOCOL, 'Mcp-Method': call.method, ...headers })
      .send({ jsonrpc: '2.0', id: 'caller-error', method: call.method, params: { ...call.params, _meta: meta } });
    expect((res.body as { error: { code: number } }).error.code).toBe(Number(code));
    const spans = await receiver.waitFor((received) => received.some((span) => span.attributes['jsonrpc.request.id'] === 'caller-error' && span.name === call.method));
    const failed = spans.filter((span) => span.attributes['jsonrpc.request.id'] === 'caller-error' && span.name === call.method).at(-1)!;
    expect(failed.attributes).toMatchObject({ 'error.type': code, 'rpc.response.status_code': code });
    expect(failed.attributes['mcp.session.id']).toBeUndefined();
    expect(failed.status.code ?? STATUS_UNSET).toBe(STATUS_UNSET);
  });

  it('caps what it records of a long tool or method name: span names, attributes and status messages', async () => {
    const headers = { ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    await request(app.url).post('/mcp').set(headers).send({ jsonrpc: '2.0', id: 'x'.repeat(128), method: 'tools/call', params: { name: 'q'.repeat(90_000), arguments: {} } });
    await request(app.url).post('/mcp').set(headers).send({ jsonrpc: '2.0', id: 2, method: `m${'w'.repeat(90_000)}`, params: {} });
    const isOurs = (span: ReceivedSpan): boolean => String(span.attributes['mcp.method.name']).startsWith('mw') || String(span.attributes['gen_ai.tool.name']).startsWith('qq');
    const spans = (await receiver.waitFor((received) => received.filter(isOurs).length >= 2)).filter(isOurs);
    for (const span of spans) {
      expect(span.name.length).toBeLessThanOrEqual(128);
      expect(Object.values(span.attributes).every((value) => String(value).length <= 256)).toBe(true);
      expect((span.status.message ?? '').length).toBeLessThanOrEqual(256);
    }
  });

  it('continues the trace that a 2026-07-28 request carries in params._meta, linked to the HTTP span', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    await client.callTool({ name: 'get_player', arguments: { player_id: 5 }, _meta: { traceparent: `00-${META_TRACE}-${CALLER_SPAN}-01` } });
    await client.close();
    expect(upstreamParent(app.proxy).traceId).toBe(META_TRACE);
    const spans = await receiver.waitFor((received) => received.some((span) => span.traceId === META_TRACE && span.name === 'GET'));
    const tool = only(receiver.trace(META_TRACE), 'tools/call get_player');
    expect(tool.parentSpanId).toBe(CALLER_SPAN);
    const http = spans.find((span) => span.name === 'POST /mcp' && span.spanId === tool.links[0]?.spanId);
    expect(http).toBeDefined();
    expect(http!.traceId).not.toBe(META_TRACE);
  });

  it('honours an incoming traceparent on a REST mirror call and puts the tool span under the HTTP span', async () => {
    const res = await request(app.url)
      .post('/v1/mcp/get_player')
      .set({ ...auth, traceparent: `00-${REST_TRACE}-${CALLER_SPAN}-01`, 'X-Request-ID': 'trace-rest-1' })
      .send({ player_id: 5 });
    expect(res.status).toBe(200);
    const upstream = upstreamParent(app.proxy);
    expect(upstream.traceId).toBe(REST_TRACE);
    const spans = await receiver.waitFor((received) => received.some((span) => span.spanId === upstream.spanId));
    const trace = spans.filter((span) => span.traceId === REST_TRACE);
    const http = trace.find((span) => span.name === 'POST /v1/mcp/:tool' && span.parentSpanId === CALLER_SPAN)!;
    expect(http).toMatchObject({ kind: SpanKindNumber.server });
    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v1/mcp/:tool', 'http.response.status_code': 200 });
    const [tool] = childrenOf(trace, http);
    expect(tool).toMatchObject({ name: 'execute_tool get_player', kind: SpanKindNumber.internal });
    expect(tool!.attributes).toMatchObject({ 'gen_ai.tool.name': 'get_player', 'gen_ai.operation.name': 'execute_tool', 'mcp.method.name': 'tools/call' });
    expect(childrenOf(trace, tool!).map((span) => span.spanId)).toEqual([upstream.spanId]);

    const lines = app.logs.forRequest('trace-rest-1');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line.trace_id).toBe(REST_TRACE);
    }
  });

  it('gives each request of a JSON-RPC batch its own server span, with its own squad-api attempt under it', async () => {
    const batch = [5, 6].map((playerId, index) => ({ jsonrpc: '2.0', id: index + 1, method: 'tools/call', params: { name: 'get_player', arguments: { player_id: playerId } } }));
    const res = await request(app.url)
      .post('/mcp')
      .set({ ...auth, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', traceparent: `00-${BATCH_TRACE}-${CALLER_SPAN}-01` })
      .send(batch);
    expect(res.status).toBe(200);
    expect(app.proxy.seen).toHaveLength(2);
    await receiver.waitFor((received) => received.filter((span) => span.traceId === BATCH_TRACE && span.kind === SpanKindNumber.server).length === 3);
    const trace = receiver.trace(BATCH_TRACE);
    const http = only(trace, 'POST /mcp');
    expect(http.parentSpanId).toBe(CALLER_SPAN);
    const tools = trace.filter((span) => span.name === 'tools/call get_player');
    expect(tools.map((tool) => tool.attributes['jsonrpc.request.id']).sort()).toEqual(['1', '2']);
    for (const tool of tools) {
      expect(tool.parentSpanId).toBe(http.spanId);
      const [execution, ...others] = childrenOf(trace, tool);
      expect(others).toHaveLength(0);
      expect(execution!.name).toBe('execute_tool get_player');
      const attempts = childrenOf(trace, execution!);
      expect(attempts).toHaveLength(1);
      // Calls run side by side, yet each attempt sits under the call that made it.
      const playerId = tool.attributes['jsonrpc.request.id'] === '1' ? 5 : 6;
      expect(attempts[0]!.attributes['url.full']).toMatch(new RegExp(`/players/${playerId}$`));
    }
    const sentParents = app.proxy.seen.map((seen) => TRACEPARENT.exec(String(seen.headers.traceparent))?.[2]);
    expect(sentParents.sort()).toEqual(trace.filter((span) => span.name === 'GET').map((span) => span.spanId).sort());
  });

  it('gives a resources/read and a completion that runs a tool a tool span under their own server span', async () => {
    const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
    await client.readResource({ uri: 'squad://players/7' });
    await client.complete({ ref: { type: 'ref/prompt', name: 'player_report' }, argument: { name: 'player_id', value: 'frosth' } });
    await client.close();
    const ran = (method: string) => (span: ReceivedSpan) => span.attributes['gen_ai.operation.name'] === 'execute_tool' && span.attributes['mcp.method.name'] === method;
    const spans = await receiver.waitFor((received) => received.some(ran('resources/read')) && received.some(ran('completion/complete')));
    for (const method of ['resources/read', 'completion/complete']) {
      const execution = spans.find(ran(method))!;
      expect(execution.kind).toBe(SpanKindNumber.internal);
      expect(execution.name).toBe(`execute_tool ${String(execution.attributes['gen_ai.tool.name'])}`);
      const server = spans.find((span) => span.spanId === execution.parentSpanId);
      expect(server).toMatchObject({ kind: SpanKindNumber.server });
      expect(server!.attributes['mcp.method.name']).toBe(method);
    }
    expect(spans.find(ran('resources/read'))!.attributes['gen_ai.tool.name']).toBe('get_player');
  });

  it('traces a refused request as its HTTP span alone, and its audit line carries the trace id', async () => {
    const res = await request(app.url)
      .post('/mcp')
      .set({ 'Content-Type': 'application/json', 'X-Request-ID': 'trace-401', traceparent: `00-${REFUSED_TRACE}-${CALLER_SPAN}-01` })
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(401);
    await receiver.waitFor((received) => received.some((span) => span.traceId === REFUSED_TRACE));
    const [http] = receiver.trace(REFUSED_TRACE);
    expect(receiver.trace(REFUSED_TRACE)).toHaveLength(1);
    expect(http).toMatchObject({ name: 'POST /mcp', parentSpanId: CALLER_SPAN });
    expect(http!.attributes['http.response.status_code']).toBe(401);
    // A refusal is the server doing its job, not a server failure.
    expect(http!.attributes['error.type']).toBeUndefined();
    const lines = app.logs.forRequest('trace-401');
    expect(lines.some((line) => line.event === 'audit')).toBe(true);
    expect(lines.every((line) => line.trace_id === REFUSED_TRACE)).toBe(true);
  });

  it('records the error code of a failed REST mirror call on its tool span, and the trace id in its log lines', async () => {
    const res = await request(app.url).post('/v1/mcp/get_player').set({ ...auth, 'X-Request-ID': 'trace-rest-404' }).send({ player_id: 999_999 });
    expect(res.status).toBe(404);
    const { traceId } = upstreamParent(app.proxy);
    const spans = await receiver.waitFor((received) => received.some((span) => span.traceId === traceId && span.name === 'POST /v1/mcp/:tool'));
    const tool = only(spans.filter((span) => span.traceId === traceId), 'execute_tool get_player');
    expect(tool.attributes['error.type']).toBe('not_found');
    expect(only(spans.filter((span) => span.traceId === traceId), 'POST /v1/mcp/:tool').attributes['http.response.status_code']).toBe(404);
    const lines = app.logs.forRequest('trace-rest-404');
    expect(lines.some((line) => line.level === 'warn' || line.status === 'error')).toBe(true);
    expect(lines.every((line) => line.trace_id === traceId)).toBe(true);
  });

  it('opens one span per SQL statement, named by the query and carrying neither its text nor its values', async () => {
    const res = await request(app.url).post('/v1/mcp/search_players').set({ ...auth, 'X-Request-ID': 'trace-sql-1' }).send({ query: 'snapQ', limit: 3 });
    expect(res.status).toBe(200);
    const traceId = String(app.logs.forRequest('trace-sql-1')[0]?.trace_id);
    const spans = await receiver.waitFor((received) => received.some((span) => span.traceId === traceId && span.name === 'POST /v1/mcp/:tool'));
    const trace = spans.filter((span) => span.traceId === traceId);
    const tool = only(trace, 'execute_tool search_players');
    const statements = childrenOf(trace, tool);
    // A page and its total, run side by side.
    expect(statements.map((statement) => statement.name).sort()).toEqual(['players_search', 'players_search_count']);
    for (const statement of statements) {
      expect(statement.kind).toBe(SpanKindNumber.client);
      expect(statement.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.query.summary': statement.name });
      const recorded = JSON.stringify(statement);
      expect(recorded).not.toMatch(/select|snapq/i);
    }
    expect(app.proxy.seen).toHaveLength(0);
  });

  it('exports with the configured service name and resource attributes as OTLP JSON', async () => {
    await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
    const { spanId } = upstreamParent(app.proxy);
    await receiver.waitFor((received) => received.some((span) => span.spanId === spanId));
    expect(receiver.exports.every((sent) => sent.contentType === 'application/json')).toBe(true);
    expect(receiver.spans.every((span) => span.serviceName === 'squad-mcp')).toBe(true);
    expect(app.logs.lines().filter((line) => line.event === 'tracing_started')[0]).toMatchObject({ collector: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string, service_name: 'squad-mcp' });
    expect(receiver.spans[0]!.resource).toMatchObject({ 'deployment.environment.name': 'e2e', 'service.version': expect.any(String) as string });
  });
});

describe('tracing document retrieval', () => {
  let receiver: OtlpReceiver;
  let endpoint: string;
  let databaseUrl: string;

  beforeAll(async () => {
    receiver = new OtlpReceiver();
    endpoint = await receiver.start();
    databaseUrl = (await helpCenterDatabase('squad_docs_tracing')).url;
  });

  afterAll(async () => {
    await receiver.stop();
    await dropDatabase(new URL(databaseUrl).pathname.slice(1));
  });

  async function retrievalSpanOf(env: Record<string, string>, traceId: string): Promise<{ retrieval: ReceivedSpan; tool: ReceivedSpan }> {
    const app = await startTestApp({ DB_URL: databaseUrl, ENABLE_RAG: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '20', ...env });
    try {
      const res = await request(app.url)
        .post('/v1/mcp/search_documents')
        .set({ ...auth, traceparent: `00-${traceId}-${CALLER_SPAN}-01` })
        .send({ query: 'how do I chronograph my marker', limit: 3 });
      expect(res.status).toBe(200);
    } finally {
      await app.close();
    }
    const trace = (await receiver.waitFor((received) => received.some((span) => span.traceId === traceId && span.name.startsWith('retrieval')))).filter((span) => span.traceId === traceId);
    return { retrieval: only(trace, 'retrieval squad_help_center'), tool: only(trace, 'execute_tool search_documents') };
  }

  it('puts a retrieval span under the search_documents tool span, with the data source and top-k but not the question', async () => {
    const { retrieval, tool } = await retrievalSpanOf({}, '9bf92f3577b34da6a3ce929d0e0e473b');
    expect(retrieval).toMatchObject({ kind: SpanKindNumber.client, parentSpanId: tool.spanId });
    expect(retrieval.attributes).toEqual({ 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'squad_help_center', 'gen_ai.request.top_k': 3 });
    expect(JSON.stringify(receiver.spans)).not.toContain('chronograph');
  });

  it('records the question on the retrieval span only when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT is true', async () => {
    const { retrieval } = await retrievalSpanOf({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }, 'abf92f3577b34da6a3ce929d0e0e473c');
    expect(retrieval.attributes['gen_ai.retrieval.query.text']).toBe('how do I chronograph my marker');
  });
});

describe('tracing off', () => {
  it('starts no span and adds no header when OTEL_SDK_DISABLED is true, even with an endpoint and a caller traceparent', async () => {
    const receiver = new OtlpReceiver();
    const app = await startTestAppBehindProxy({ OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(), OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '1' });
    try {
      const client = await connectMcp(app.url, SERVICE_KEY, 'modern');
      await client.callTool({ name: 'get_player', arguments: { player_id: 5 }, _meta: { traceparent: `00-${UNTRACED_TRACE}-${CALLER_SPAN}-01` } });
      await client.close();
      const res = await request(app.url)
        .post('/v1/mcp/get_player')
        .set({ ...auth, traceparent: `00-${UNTRACED_TRACE}-${CALLER_SPAN}-01`, 'X-Request-ID': 'untraced-1' })
        .send({ player_id: 5 });
      expect(res.status).toBe(200);
      expect(app.proxy.seen).toHaveLength(2);
      for (const seen of app.proxy.seen) {
        expect(seen.headers.traceparent).toBeUndefined();
        expect(seen.headers.tracestate).toBeUndefined();
      }
      const lines = app.logs.forRequest('untraced-1');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.every((line) => !('trace_id' in line))).toBe(true);
    } finally {
      await app.close();
    }
    // Closing flushes whatever a running SDK would hold: nothing reached the collector.
    expect(receiver.exports).toHaveLength(0);
    await receiver.stop();
  });
});

describe('tracing by default', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: a caller traceparent is neither continued nor forwarded', async () => {
    const app = await startTestAppBehindProxy();
    try {
      const res = await request(app.url)
        .post('/v1/mcp/get_player')
        .set({ ...auth, traceparent: `00-${UNTRACED_TRACE}-${CALLER_SPAN}-01`, 'X-Request-ID': 'untraced-default' })
        .send({ player_id: 5 });
      expect(res.status).toBe(200);
      expect(app.proxy.seen).toHaveLength(1);
      expect(app.proxy.seen[0]!.headers).not.toHaveProperty('traceparent');
      const lines = app.logs.forRequest('untraced-default');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.every((line) => !('trace_id' in line))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('tracing with a collector that fails', () => {
  it('keeps serving calls when the collector refuses connections or answers 500', async () => {
    const down = new OtlpReceiver();
    const downUrl = await down.start();
    await down.stop();
    const failing = new OtlpReceiver();
    failing.status = 500;
    const failingUrl = await failing.start();
    for (const endpoint of [downUrl, failingUrl]) {
      const app = await startTestAppBehindProxy({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '1' });
      try {
        for (let call = 0; call < 3; call += 1) {
          const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
          expect(res.status).toBe(200);
        }
        expect(app.proxy.seen.map((seen) => TRACEPARENT.test(String(seen.headers.traceparent)))).toEqual([true, true, true]);
      } finally {
        await app.close();
      }
    }
    expect(failing.exports.length).toBeGreaterThan(0);
    expect(failing.spans).toHaveLength(0);
    await failing.stop();
  });
});

describe('tracing at shutdown', () => {
  it('exports the spans still waiting for their batch when the app closes', async () => {
    const receiver = new OtlpReceiver();
    const app = await startTestAppBehindProxy({ OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(), OTEL_BSP_SCHEDULE_DELAY: '600000' });
    const res = await request(app.url).post('/v1/mcp/get_player').set(auth).send({ player_id: 5 });
    expect(res.status).toBe(200);
    const { traceId } = upstreamParent(app.proxy);
    expect(receiver.spans).toHaveLength(0);
    await app.close();
    expect(receiver.trace(traceId).map((span) => span.name).sort()).toEqual(['GET', 'POST /v1/mcp/:tool', 'execute_tool get_player']);
    await receiver.stop();
  });
});
