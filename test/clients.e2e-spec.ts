import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { structured } from './support/mcp-client';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

/**
 * Every snippet of docs/clients.md, run against the demo world: the clients that install from npm
 * for real, the hosts' JSON through the official client with the URL and headers it gives, and
 * the Python snippet for syntax and shape (PyPI is out of reach here).
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const DOC_URL = 'http://127.0.0.1:8000/mcp';
const SCRATCH = join(ROOT, 'node_modules', '.cache', 'squad-clients');

function snippets(): Map<string, string> {
  const markdown = readFileSync(join(ROOT, 'docs', 'clients.md'), 'utf8');
  return new Map([...markdown.matchAll(/<!-- client: ([\w-]+) -->\n```\w*\n([\s\S]*?)^```/gm)].map((match) => [match[1]!, match[2]!]));
}

interface HttpServerConfig {
  type?: string;
  url: string;
  headers: Record<string, string>;
}

/** The one server a host's JSON configures, under `mcpServers` or VS Code's `servers`. */
function serverOf(json: string): HttpServerConfig & { command?: string; args?: string[]; env?: Record<string, string> } {
  const config = JSON.parse(json) as { mcpServers?: Record<string, HttpServerConfig>; servers?: Record<string, HttpServerConfig> };
  const servers = Object.values(config.mcpServers ?? config.servers ?? {});
  expect(servers).toHaveLength(1);
  return servers[0]!;
}

describe('the client configurations of docs/clients.md', () => {
  const docs = snippets();
  let app: TestApp;
  let mcpUrl: string;
  const env = (): NodeJS.ProcessEnv => ({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME, SQUAD_MCP_KEY: ADMIN_KEY });

  beforeAll(async () => {
    app = await startTestApp();
    mcpUrl = `${app.url}/mcp`;
    mkdirSync(SCRATCH, { recursive: true });
  });

  afterAll(async () => {
    await app.close();
  });

  /** Connects the official client with the URL and headers a host would use, and asks for a player's stats. */
  async function statsThrough(url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
    expect(url).toBe(DOC_URL);
    const client = new Client({ name: 'docs-clients', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } }));
    try {
      const result = await client.callTool({ name: 'get_player_stats', arguments: { player_id: 42 } });
      const stats: Record<string, unknown> = structured(result);
      return stats;
    } finally {
      await client.close();
    }
  }

  async function runScript(name: string, source: string): Promise<string> {
    const file = join(SCRATCH, `${name}.mjs`);
    writeFileSync(file, source.replaceAll(DOC_URL, mcpUrl));
    const { stdout } = await run(process.execPath, [file], { env: env(), timeout: 30_000 });
    return stdout;
  }

  it('documents every client the guide promises', () => {
    expect([...docs.keys()].sort()).toEqual(
      ['claude-code', 'claude-code-cli', 'claude-desktop', 'cursor', 'inspector-cli', 'langchain', 'openai-agents', 'python', 'vscode'].sort(),
    );
  });

  it.each([
    ['claude-code', '${SQUAD_MCP_KEY}'],
    ['cursor', '${env:SQUAD_MCP_KEY}'],
    ['vscode', '${input:squad-key}'],
  ])('%s: the URL and headers of its JSON reach the tools, with the key where the host puts it', async (name, placeholder) => {
    const server = serverOf(docs.get(name)!);
    expect(server.headers.Authorization).toBe(`Bearer ${placeholder}`);
    const stats = await statsThrough(server.url, { Authorization: server.headers.Authorization!.replace(placeholder, ADMIN_KEY) });
    expect(stats).toMatchObject({ player_id: 42, matches_played: expect.any(Number) as unknown });
  });

  it('claude-code-cli: the command adds an HTTP server with the key in its header', async () => {
    const match = /^claude mcp add --transport http squad (\S+) --header "Authorization: Bearer \$SQUAD_MCP_KEY"$/.exec(docs.get('claude-code-cli')!.trim());
    expect(match).not.toBeNull();
    expect(await statsThrough(match![1]!, { Authorization: `Bearer ${ADMIN_KEY}` })).toMatchObject({ player_id: 42 });
  });

  it('claude-desktop: mcp-remote, started as the config says, bridges stdio to the tools', async () => {
    const server = serverOf(docs.get('claude-desktop')!);
    expect(server.command).toBe('npx');
    const [yes, spec, url, ...rest] = server.args!;
    expect([yes, spec]).toEqual(['-y', expect.stringMatching(/^mcp-remote@/) as unknown]);
    expect(url).toBe(DOC_URL);
    const client = new Client({ name: 'docs-clients', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'), mcpUrl, ...rest],
        env: { ...(env() as Record<string, string>), ...Object.fromEntries(Object.entries(server.env!).map(([key, value]) => [key, value.replace('sqd_dev_…', ADMIN_KEY)])) },
        stderr: 'ignore',
      }),
    );
    try {
      const result = await client.callTool({ name: 'get_player_stats', arguments: { player_id: 42 } });
      expect(structured(result)).toMatchObject({ player_id: 42 });
    } finally {
      await client.close();
    }
  });

  it('inspector-cli: the command calls a tool and prints its answer', async () => {
    const command = docs.get('inspector-cli')!.replace('npx @modelcontextprotocol/inspector', join(ROOT, 'node_modules', '.bin', 'mcp-inspector')).replaceAll(DOC_URL, mcpUrl);
    const { stdout } = await run('bash', ['-c', command], { env: env(), timeout: 30_000 });
    expect(JSON.parse(stdout)).toMatchObject({ structuredContent: { player_id: 42 } });
  });

  it('inspector-cli --strict finds nothing to report in the tool list', async () => {
    const { stdout, stderr } = await run(
      join(ROOT, 'node_modules', '.bin', 'mcp-inspector'),
      ['--cli', mcpUrl, '--header', `Authorization: Bearer ${ADMIN_KEY}`, '--method', 'tools/list', '--strict'],
      { env: env(), timeout: 30_000 },
    );
    expect((JSON.parse(stdout) as { tools: unknown[] }).tools.length).toBeGreaterThanOrEqual(20);
    expect(stderr).toBe('');
  });

  it('langchain: the snippet runs and prints the stats', async () => {
    const stdout = await runScript('langchain', docs.get('langchain')!);
    expect(JSON.parse(stdout)).toMatchObject({ structuredContent: { player_id: 42, matches_played: expect.any(Number) as unknown } });
  });

  it('openai-agents: the snippet runs and prints the stats (through @openai/agents-core, which @openai/agents re-exports)', async () => {
    const stdout = await runScript('openai-agents', docs.get('openai-agents')!.replace("from '@openai/agents'", "from '@openai/agents-core'"));
    const content = JSON.parse(stdout) as { type: string; text: string }[];
    expect(JSON.parse(content[0]!.text)).toMatchObject({ player_id: 42 });
  });

  it('python: the snippet compiles, passes the key as a bearer header and calls the tool (checked for shape only)', async () => {
    const source = docs.get('python')!;
    const file = join(SCRATCH, 'client.py');
    writeFileSync(file, source);
    await run('python3', ['-m', 'py_compile', file], { timeout: 30_000 });
    expect(source).toContain(`streamablehttp_client("${DOC_URL}", headers=headers)`);
    expect(source).toContain(`headers = {"Authorization": f"Bearer {os.environ['SQUAD_MCP_KEY']}"}`);
    expect(source).toContain('await session.call_tool("get_player_stats", {"player_id": 42})');
  });
});
