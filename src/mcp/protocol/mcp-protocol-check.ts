import { INVALID_PARAMS, INVALID_REQUEST, isSpecType, ProtocolErrorCode, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import type { Request } from 'express';

import { MAX_ECHO_CHARS } from '../../common/util/echo';
import { isRecord } from '../../common/util/is-record';
import { type ProtocolRejection, protocolRejection } from './mcp-answers';
import { STATELESS_REVISION } from './stateless-tool-request';

/** The protocol revisions `/mcp` serves: the SDK's initialize-era list and the stateless 2026-07-28 revision. */
export const MCP_PROTOCOL_REVISIONS: readonly string[] = [...SUPPORTED_PROTOCOL_VERSIONS, STATELESS_REVISION];

/**
 * The revisions a client may name per request, as `server/discover` lists them and as every
 * unsupported-version error repeats them: the stateless ones. The initialize-era revisions are
 * still served, but they are negotiated by `initialize`, never named to a server that has not met
 * the client, so neither list offers them.
 */
export const DISCOVERABLE_REVISIONS: readonly string[] = MCP_PROTOCOL_REVISIONS.filter((version) => version >= STATELESS_REVISION);

/** A requested version is echoed back, but no longer than any revision name could be. */
const MAX_ECHOED_VERSION_LENGTH = 64;

// The one revision whose transport allows JSON-RPC batches; requests without the header are of that era.
const BATCH_REVISION = '2025-03-26';

function idOf(message: Record<string, unknown>): string | number | null {
  return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
}

/** The SDK's own schema of each request a client may send; unknown methods are left to the SDK. */
const REQUEST_SHAPES: Readonly<Record<string, (message: unknown) => boolean>> = {
  initialize: isSpecType.InitializeRequest,
  ping: isSpecType.PingRequest,
  'server/discover': isSpecType.DiscoverRequest,
  'tools/list': isSpecType.ListToolsRequest,
  'tools/call': isSpecType.CallToolRequest,
  'prompts/list': isSpecType.ListPromptsRequest,
  'prompts/get': isSpecType.GetPromptRequest,
  'resources/list': isSpecType.ListResourcesRequest,
  'resources/templates/list': isSpecType.ListResourceTemplatesRequest,
  'resources/read': isSpecType.ReadResourceRequest,
  'completion/complete': isSpecType.CompleteRequest,
  'logging/setLevel': isSpecType.SetLevelRequest,
};

const PARAMS_HINTS: Readonly<Record<string, string>> = {
  'tools/call': 'tools/call needs "name" (a string) and "arguments" (a JSON object)',
};

// Methods the stateless revision no longer has: the SDK answers them 404 Method not found, whatever their params.
const REMOVED_IN_STATELESS_REVISION: ReadonlySet<string> = new Set(['initialize', 'logging/setLevel']);
function hasKnownShape(message: Record<string, unknown>, protocolHeader: string | undefined): boolean {
  const method = typeof message.method === 'string' ? message.method : undefined;
  if (method === undefined || (protocolHeader === STATELESS_REVISION && REMOVED_IN_STATELESS_REVISION.has(method))) {
    return true;
  }
  const shape = Object.hasOwn(REQUEST_SHAPES, method) ? REQUEST_SHAPES[method] : undefined;
  return shape === undefined || shape(message);
}

/**
 * Checks what the SDK would otherwise refuse with messages that echo the client's header or dump
 * its schema errors: JSON-RPC ids too long to repeat, the `MCP-Protocol-Version` header, batches
 * outside the revision that allows them, and the params of every known request.
 */
function checkProtocol(protocolHeader: string | undefined, body: unknown): ProtocolRejection | undefined {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  // Every answer repeats its request's id: a long one is refused before anything repeats or records it.
  if (messages.some((message) => isRecord(message) && typeof message.id === 'string' && message.id.length > MAX_ECHO_CHARS)) {
    return protocolRejection(400, null, INVALID_REQUEST, `JSON-RPC ids are at most ${MAX_ECHO_CHARS} characters`);
  }
  if (protocolHeader !== undefined && !MCP_PROTOCOL_REVISIONS.includes(protocolHeader)) {
    const id = isRecord(body) ? idOf(body) : null;
    return protocolRejection(400, id, ProtocolErrorCode.UnsupportedProtocolVersion, 'Unsupported MCP-Protocol-Version header', {
      supported: DISCOVERABLE_REVISIONS,
      requested: protocolHeader.slice(0, MAX_ECHOED_VERSION_LENGTH),
    });
  }
  if (Array.isArray(body) && protocolHeader !== undefined && protocolHeader !== BATCH_REVISION) {
    return protocolRejection(400, null, INVALID_REQUEST, `JSON-RPC batches are accepted only with protocol version ${BATCH_REVISION}`);
  }
  const malformed = messages.find((message) => isRecord(message) && !hasKnownShape(message, protocolHeader));
  if (!isRecord(malformed)) {
    return undefined;
  }
  const method = String(malformed.method);
  const message = `Invalid params: ${PARAMS_HINTS[method] ?? `the ${method} params do not match the protocol`}`;
  return protocolRejection(200, idOf(malformed), INVALID_PARAMS, message);
}

const checked = new WeakMap<Request, ProtocolRejection | null>();

/** The protocol check of one POST /mcp, made once: the rate-limit demand and the handler both read it. */
export function protocolCheckOf(req: Request): ProtocolRejection | undefined {
  let result = checked.get(req);
  if (result === undefined) {
    result = checkProtocol(req.header('mcp-protocol-version'), req.body) ?? null;
    checked.set(req, result);
  }
  return result ?? undefined;
}
