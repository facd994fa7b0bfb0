import {
  INVALID_PARAMS,
  INVALID_REQUEST,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCErrorResponse,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  PROTOCOL_VERSION_META_KEY,
  type Transport,
} from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';
import { type Attributes, type Context, type Span, SpanKind, trace } from '@opentelemetry/api';

import { capped, MAX_ECHO_CHARS } from '../../common/util/echo';
import { isRecord } from '../../common/util/is-record';
import { connectionOf } from './connection-attributes';
import { McpOperationMetrics } from './operation-metrics';
import { Tracing } from './tracing';

const TOOLS_CALL = 'tools/call';
/**
 * The request methods a metric names; any other (a caller's invention) is recorded as `_OTHER`,
 * as the conventions do for unknown values, so callers cannot grow the number of series.
 */
const METRIC_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  TOOLS_CALL,
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'subscriptions/listen',
  'logging/setLevel',
]);
/** What earlier revisions answered for a resource that does not exist; still a caller's error. */
const RESOURCE_NOT_FOUND_LEGACY_CODE = -32002;

/** The part of the SDK's server that tracing hooks into: the per-request transport it connects. */
interface Connectable {
  connect(transport: Transport): Promise<void>;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_ECHO_CHARS) : undefined;
}

/** The MCP semantic conventions' attributes of a request that names a tool. */
function toolAttributes(toolName: string): Attributes {
  return { 'mcp.method.name': TOOLS_CALL, 'gen_ai.tool.name': toolName, 'gen_ai.operation.name': 'execute_tool' };
}

function requestAttributes(request: JSONRPCRequest, params: Record<string, unknown>, protocolVersion: string | undefined, connection: Attributes): Attributes {
  const toolName = request.method === TOOLS_CALL ? textOf(params.name) : undefined;
  const promptName = request.method === 'prompts/get' ? textOf(params.name) : undefined;
  const resourceUri = request.method.startsWith('resources/') ? textOf(params.uri) : undefined;
  return {
    'mcp.method.name': capped(request.method),
    'jsonrpc.request.id': capped(String(request.id)),
    'network.transport': 'tcp',
    'network.protocol.name': 'http',
    ...connection,
    ...(protocolVersion === undefined ? {} : { 'mcp.protocol.version': protocolVersion }),
    ...(toolName === undefined ? {} : toolAttributes(toolName)),
    ...(promptName === undefined ? {} : { 'gen_ai.prompt.name': promptName }),
    ...(resourceUri === undefined ? {} : { 'mcp.resource.uri': resourceUri }),
  };
}

/**
 * The JSON-RPC errors the caller caused: a malformed message or request, an unknown method, bad
 * params (an unknown tool or resource included), a resource not found. The conventions leave a
 * server span's status unset for them, as HTTP servers do for a 4xx: the server did its job.
 */
const CALLER_ERRORS: ReadonlySet<number> = new Set([PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, RESOURCE_NOT_FOUND_LEGACY_CODE]);

/** Ends the request's span; gives the error type it recorded, if any. */
function endServerSpan(span: Span, response: JSONRPCResultResponse | JSONRPCErrorResponse): string | undefined {
  if (isJSONRPCErrorResponse(response)) {
    const code = String(response.error.code);
    span.setAttribute('rpc.response.status_code', code);
    if (CALLER_ERRORS.has(response.error.code)) {
      span.setAttribute('error.type', code);
      span.end();
      return code;
    }
    Tracing.end(span, code, response.error.message);
    return code;
  }
  const errorType = response.result.isError === true ? 'tool_error' : undefined;
  Tracing.end(span, errorType);
  return errorType;
}

/** One request under way: its span, when it started, and the bounded attributes its duration is recorded with. */
interface OpenRequest {
  readonly span: Span;
  readonly started: number;
  readonly metricAttributes: Attributes;
}

/**
 * The one place MCP spans open, after the OpenTelemetry MCP semantic conventions: a server span per
 * JSON-RPC request, named `{mcp.method.name} {tool}` (`tools/call get_player`), child of the trace
 * context in the request's `params._meta` (linked to the HTTP span) or else of the HTTP span. The
 * tool span of a call, on every surface, is the tool-call pipeline's. Each request's duration goes
 * to `mcp.server.operation.duration` with the same names.
 */
@Injectable()
export class McpSpans {
  constructor(
    private readonly tracing: Tracing,
    private readonly operations: McpOperationMetrics,
  ) {}

  /**
   * Hooks the server's transport for this HTTP request: every request message it receives is handled
   * inside its own span, which ends when the transport sends the answer with the same id.
   * `isTool` keeps unknown (caller-chosen) names out of span names.
   */
  instrument(server: Connectable, request: Request | undefined, isTool: (name: string) => boolean): void {
    if (!this.tracing.enabled) {
      return;
    }
    const transportContext = this.tracing.active();
    const protocolHeader = request?.headers.get('mcp-protocol-version') ?? undefined;
    const connect = server.connect.bind(server);
    server.connect = async (transport) => {
      await connect(transport);
      this.watch(transport, transportContext, protocolHeader, isTool);
    };
  }

  /**
   * Runs one request answered without the SDK's transport (see DirectDispatch) inside its server
   * span, which ends with the answer, exactly as a watched transport would have ended it; an answer
   * given as prepared text is a result.
   */
  async around<T extends JSONRPCResultResponse | JSONRPCErrorResponse | string>(
    request: JSONRPCRequest,
    protocolHeader: string,
    isTool: (name: string) => boolean,
    answer: () => Promise<T>,
  ): Promise<T> {
    if (!this.tracing.enabled) {
      return answer();
    }
    const { span, metricAttributes } = this.serverSpan(request, this.tracing.active(), protocolHeader, isTool);
    const open: OpenRequest = { span, started: performance.now(), metricAttributes };
    const response = await this.tracing.within(span, answer);
    if (typeof response === 'string') {
      // A prepared text is always a plain result.
      Tracing.end(span);
      this.ended(open, undefined);
    } else {
      this.ended(open, endServerSpan(span, response));
    }
    return response;
  }

  private watch(transport: Transport, transportContext: Context, protocolHeader: string | undefined, isTool: (name: string) => boolean): void {
    const open = new Map<string | number, OpenRequest>();
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (receive === undefined || !isJSONRPCRequest(message)) {
        receive?.(message, extra);
        return;
      }
      const { span, metricAttributes } = this.serverSpan(message, transportContext, protocolHeader, isTool);
      open.set(message.id, { span, started: performance.now(), metricAttributes });
      this.tracing.within(span, () => {
        receive(message, extra);
      });
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) {
        const request = open.get(message.id);
        open.delete(message.id);
        if (request !== undefined) {
          this.ended(request, endServerSpan(request.span, message));
        }
      }
      await send(message, options);
    };
    const closed = transport.onclose;
    transport.onclose = () => {
      for (const request of open.values()) {
        Tracing.end(request.span, 'cancelled');
        this.ended(request, 'cancelled');
      }
      open.clear();
      closed?.();
    };
  }

  /** Records the request's duration: only a known tool's name and codes, so the attributes stay few. */
  private ended(request: OpenRequest, errorType: string | undefined): void {
    const seconds = (performance.now() - request.started) / 1000;
    this.operations.record(seconds, errorType === undefined ? request.metricAttributes : { ...request.metricAttributes, 'error.type': errorType });
  }

  private serverSpan(
    request: JSONRPCRequest,
    transportContext: Context,
    protocolHeader: string | undefined,
    isTool: (name: string) => boolean,
  ): { span: Span; metricAttributes: Attributes } {
    const params = isRecord(request.params) ? request.params : {};
    const meta = isRecord(params._meta) ? params._meta : undefined;
    const metaParent = meta === undefined ? undefined : this.tracing.remoteParent(meta);
    const protocolVersion =
      protocolHeader ?? textOf(meta?.[PROTOCOL_VERSION_META_KEY]) ?? (request.method === 'initialize' ? textOf(params.protocolVersion) : undefined);
    const toolName = request.method === TOOLS_CALL ? textOf(params.name) : undefined;
    const transportSpan = trace.getSpanContext(transportContext);
    const span = this.tracing.start({
      name: toolName !== undefined && isTool(toolName) ? `${request.method} ${toolName}` : capped(request.method),
      kind: SpanKind.SERVER,
      parent: metaParent ?? transportContext,
      links: metaParent !== undefined && transportSpan !== undefined ? [{ context: transportSpan }] : [],
      attributes: requestAttributes(request, params, protocolVersion, connectionOf(transportContext)),
    });
    this.tracing.markRequest(span);
    const knownTool = toolName !== undefined && isTool(toolName) ? toolName : undefined;
    const metricAttributes: Attributes = {
      'mcp.method.name': METRIC_METHODS.has(request.method) ? request.method : '_OTHER',
      ...(knownTool === undefined ? {} : { 'gen_ai.tool.name': knownTool }),
      ...(protocolVersion === undefined ? {} : { 'mcp.protocol.version': protocolVersion }),
    };
    return { span, metricAttributes };
  }
}
