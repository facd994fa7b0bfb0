import { INVALID_PARAMS, INVALID_REQUEST, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/** The protocol revisions `/mcp` serves: the SDK's initialize-era list and the stateless 2026-07-28 revision. */
export const MCP_PROTOCOL_REVISIONS: readonly string[] = [...SUPPORTED_PROTOCOL_VERSIONS, '2026-07-28'];

/** A JSON-RPC error answered before the SDK runs, with a short message that repeats nothing the client sent. */
export interface ProtocolRejection {
  readonly httpStatus: number;
  readonly body: { jsonrpc: '2.0'; id: string | number | null; error: { code: number; message: string; data?: unknown } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(message: Record<string, unknown>): string | number | null {
  return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
}

function hasToolCallShape(params: unknown): boolean {
  return isRecord(params) && typeof params.name === 'string' && (params.arguments === undefined || isRecord(params.arguments));
}

/**
 * Checks what the SDK would otherwise refuse with messages that echo the client's header or dump
 * its schema errors: the `MCP-Protocol-Version` header, and the shape of `tools/call` params.
 */
export function protocolRejection(protocolHeader: string | undefined, body: unknown): ProtocolRejection | undefined {
  if (protocolHeader !== undefined && !MCP_PROTOCOL_REVISIONS.includes(protocolHeader)) {
    return {
      httpStatus: 400,
      body: {
        jsonrpc: '2.0',
        id: null,
        error: { code: INVALID_REQUEST, message: 'Unsupported MCP-Protocol-Version header', data: { supported: MCP_PROTOCOL_REVISIONS } },
      },
    };
  }
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  const badCall = messages.find((message) => isRecord(message) && message.method === 'tools/call' && !hasToolCallShape(message.params));
  if (isRecord(badCall)) {
    const message = 'Invalid params: tools/call needs "name" (a string) and "arguments" (a JSON object)';
    return { httpStatus: 200, body: { jsonrpc: '2.0', id: idOf(badCall), error: { code: INVALID_PARAMS, message } } };
  }
  return undefined;
}
