import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { KeyAddingProxy } from './support/key-adding-proxy';
import { SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const run = promisify(execFile);

const CONFORMANCE_CLI = join(__dirname, '..', 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/**
 * The official MCP conformance suite, for every scenario that applies to a server with tools,
 * prompts and resources and no fixture tools (the others call `test_*` tools, prompts and
 * resources that only the suite's own reference server has, or features this stateless,
 * read-only server does not declare: logging, subscriptions, sampling, elicitation).
 */
const SCENARIOS: Readonly<Record<string, readonly string[]>> = {
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'resources-list', 'prompts-list', 'completion-complete', 'dns-rebinding-protection'],
  '2026-07-28': [
    'tools-list',
    'resources-list',
    'prompts-list',
    'completion-complete',
    'caching',
    'sep-2164-resource-not-found',
    'http-header-validation',
    'dns-rebinding-protection',
    'server-sse-multiple-streams',
  ],
};

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

/** What went wrong in one scenario's run (empty when every check passed), and how many checks passed. */
async function runScenario(url: string, version: string, scenario: string): Promise<{ passed: number; problems: string[] }> {
  const output = await mkdtemp(join(tmpdir(), 'conformance-'));
  try {
    await run(process.execPath, [CONFORMANCE_CLI, 'server', '--url', url, '--scenario', scenario, '--spec-version', version, '-o', output], {
      timeout: 60_000,
    }).catch((error: unknown) => error);
    const [directory] = await readdir(output);
    if (directory === undefined) {
      return { passed: 0, problems: [`${version} ${scenario}: no results`] };
    }
    const checks = JSON.parse(await readFile(join(output, directory, 'checks.json'), 'utf8')) as Check[];
    return {
      passed: checks.filter((check) => check.status === 'SUCCESS').length,
      problems: checks
        .filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO')
        .map((check) => `${version} ${scenario} ${check.id}: ${check.status} ${check.errorMessage ?? ''}`),
    };
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}

describe('MCP conformance suite', () => {
  let app: TestApp;
  let proxy: KeyAddingProxy;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp();
    proxy = new KeyAddingProxy(app.url, SERVICE_KEY);
    url = `${await proxy.start()}/mcp`;
  });

  afterAll(async () => {
    await proxy.close();
    await app.close();
  });

  it.each(Object.keys(SCENARIOS))('passes every applicable scenario of the %s requirements', async (version) => {
    const results = [];
    for (const scenario of SCENARIOS[version]!) {
      results.push(await runScenario(url, version, scenario));
    }
    expect(results.flatMap((result) => result.problems)).toEqual([]);
    expect(results.every((result) => result.passed > 0)).toBe(true);
  }, 180_000);
});
