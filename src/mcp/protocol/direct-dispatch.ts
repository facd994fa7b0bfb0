import {
  type CacheHint,
  classifyInboundRequest,
  isJsonContentType,
  type JSONRPCErrorResponse,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  type ListToolsResult,
  ProtocolError,
  SERVER_INFO_META_KEY,
} from '@modelcontextprotocol/server';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';

import { APP_NAME, APP_VERSION } from '../../app-info';
import { isRecord } from '../../common/util/is-record';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { McpSpans } from '../../observability/tracing/mcp-spans';
import { McpServerFactory } from './mcp-server.factory';
import { isStatelessToolRequest, STATELESS_REVISION } from './stateless-tool-request';
import { type CallToolParams, ToolMethods } from './tool-methods';


/** The methods answered here; every other message goes to the SDK. */
type DirectMethod = 'tools/list' | 'tools/call';

/** What the SDK marks the start of an encoded `Mcp-Name` value with; such names are left to it to decode. */
const ENCODED_NAME_PREFIX = '=?';

const SERVER_INFO = { name: APP_NAME, version: APP_VERSION } as const;

/** An answer ready to write: the HTTP status and the JSON-RPC message as text. */
export interface DirectAnswer {
  readonly status: number;
  readonly body: string;
}

type Answer = JSONRPCResultResponse | JSONRPCErrorResponse;

/**
 * The result as the SDK's encoder lays it out on the 2026-07-28 wire: the fields in the protocol
 * schema's order, the `resultType` stamp, the cache fields of a cacheable result, and the
 * server's identity in `_meta` (after the result's own `_meta` entries).
 */
function encodeResult(result: Record<string, unknown>, order: readonly string[], cache: CacheHint | undefined): Record<string, unknown> {
  const meta = isRecord(result._meta) ? result._meta : undefined;
  const encoded: Record<string, unknown> = meta === undefined ? {} : { _meta: { ...meta, [SERVER_INFO_META_KEY]: SERVER_INFO } };
  for (const key of order) {
    if (result[key] !== undefined) {
      encoded[key] = result[key];
    }
  }
  encoded.resultType = 'complete';
  if (cache !== undefined) {
    encoded.ttlMs = cache.ttlMs;
    encoded.cacheScope = cache.cacheScope;
  }
  if (meta === undefined) {
    encoded._meta = { [SERVER_INFO_META_KEY]: SERVER_INFO };
  }
  return encoded;
}

const CALL_TOOL_RESULT_ORDER = ['content', 'structuredContent', 'isError'] as const;
const LIST_TOOLS_RESULT_ORDER = ['tools', 'nextCursor'] as const;

/** A thrown error as a JSON-RPC error answer, the way the SDK's protocol layer words it. */
function errorAnswer(id: JSONRPCRequest['id'], error: unknown): JSONRPCErrorResponse {
  if (error instanceof ProtocolError) {
    return { jsonrpc: '2.0', id, error: { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) } };
  }
  return { jsonrpc: '2.0', id, error: { code: -32603, message: error instanceof Error ? error.message : 'Internal error' } };
}

/**
 * Answers the stateless requests that make up nearly all traffic — 2026-07-28 `tools/list` and
 * `tools/call` — without building the SDK's per-request server and transport for each, with the
 * same handlers and the same bytes the SDK path would produce. A message is taken only when the
 * SDK would certainly serve it (the SDK's own classifier calls it a modern request, and the
 * standard headers are present and agree with the body); anything else, valid or not, is the SDK's
 * to answer. The `tools/list` results are encoded once per role set; a call shares nothing
 * between requests but those prepared, immutable texts.
 */
@Injectable()
export class DirectDispatch {
  /** Each role set's listing (prepared once by ToolMethods) as encoded text, keyed by that listing. */
  private readonly listTexts = new WeakMap<ListToolsResult, string>();
  /** How many messages this path has answered since start. */
  private answeredCount = 0;

  constructor(
    private readonly tools: ToolMethods,
    private readonly factory: McpServerFactory,
    private readonly spans: McpSpans,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the direct path serves at all (on unless the configuration routes everything through the SDK). */
  get enabled(): boolean {
    return this.config.mcpDirectDispatch;
  }

  get answered(): number {
    return this.answeredCount;
  }

  /** The answer to a request this path serves, or undefined to hand the request to the SDK. */
  async answer(req: Request): Promise<DirectAnswer | undefined> {
    const message = this.enabled ? this.takenMessage(req) : undefined;
    if (message === undefined) {
      return undefined;
    }
    this.answeredCount += 1;
    const answer = await this.spans.around(message, STATELESS_REVISION, this.tools.isTool, () => this.run(message));
    return { status: 200, body: typeof answer === 'string' ? answer : JSON.stringify(answer) };
  }

  private async run(message: JSONRPCRequest & { method: DirectMethod }): Promise<Answer | string> {
    try {
      if (message.method === 'tools/list') {
        return this.listAnswer(message.id);
      }
      const result = await this.tools.call(message.params as unknown as CallToolParams, STATELESS_REVISION);
      return { result: encodeResult(result, CALL_TOOL_RESULT_ORDER, undefined), jsonrpc: '2.0', id: message.id };
    } catch (error) {
      return errorAnswer(message.id, error);
    }
  }

  /** The prepared listing for the caller's roles, spliced around the request's id. */
  private listAnswer(id: JSONRPCRequest['id']): string {
    const result = this.tools.list();
    let text = this.listTexts.get(result);
    if (text === undefined) {
      text = JSON.stringify(encodeResult(result, LIST_TOOLS_RESULT_ORDER, this.factory.cacheHintOf('tools/list')));
      this.listTexts.set(result, text);
    }
    return `{"result":${text},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
  }

  /**
   * The message, when it is a 2026-07-28 `tools/list` or `tools/call` that the SDK would serve:
   * JSON, one request, the envelope, `MCP-Protocol-Version` and `Mcp-Method` present and agreeing,
   * and for a call an `Mcp-Name` equal to the tool's name as written.
   */
  private takenMessage(req: Request): (JSONRPCRequest & { method: DirectMethod }) | undefined {
    if (!isStatelessToolRequest(req)) {
      return undefined;
    }
    const methodHeader = req.header('mcp-method') as DirectMethod;
    const body: unknown = req.body;
    if (!isRecord(body) || body.method !== methodHeader) {
      return undefined;
    }
    if (!isJsonContentType(req.header('content-type'))) {
      return undefined;
    }
    const nameHeader = req.header('mcp-name');
    if (methodHeader === 'tools/call') {
      const name = isRecord(body.params) ? body.params.name : undefined;
      if (typeof name !== 'string' || nameHeader !== name || name.startsWith(ENCODED_NAME_PREFIX)) {
        return undefined;
      }
    }
    const route = classifyInboundRequest({ httpMethod: 'POST', protocolVersionHeader: STATELESS_REVISION, mcpMethodHeader: methodHeader, mcpNameHeader: nameHeader, body });
    if (route.kind !== 'modern' || route.messageKind !== 'request' || route.classification.revision !== STATELESS_REVISION) {
      return undefined;
    }
    return route.message as JSONRPCRequest & { method: DirectMethod };
  }
}
