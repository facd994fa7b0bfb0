import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export type Era = 'legacy' | 'modern';

export const MODERN_PROTOCOL = '2026-07-28';

/** Connects the official MCP client to `/mcp`, in the 2025 (initialize) era or pinned to 2026-07-28. */
export async function connectMcp(baseUrl: string, key: string, era: Era, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client(
    { name: 'squad-mcp-e2e', version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { Authorization: `Bearer ${key}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

/** The structured content of a tool result, typed for assertions. */
export function structured<T = Record<string, unknown>>(result: unknown): T {
  return (result as { structuredContent: T }).structuredContent;
}

/**
 * What a caller reads from a tool result: the structured content of a success, or the SPEC §5
 * body that an error result carries as JSON text (error results have no structured content).
 */
export function toolBody<T = Record<string, unknown>>(result: unknown): T {
  const { isError, content, structuredContent } = result as { isError?: boolean; content: { text: string }[]; structuredContent?: T };
  if (isError === true) {
    expect(structuredContent).toBeUndefined();
    return JSON.parse(content[0]!.text) as T;
  }
  return structuredContent as T;
}
