import { AppError } from '../../common/errors/app-error';
import { PRODUCT_PROMPTS } from '../../prompts/product-prompts';
import { PromptCompletions } from '../tool-call/prompt-completions';
import type { ToolPipeline } from '../tool-call/tool-pipeline';
import { PromptCatalog } from './prompt-catalog';
import type { PromptDefinition } from './prompt-definition';
import type { ToolRegistry } from './tool-registry';

const NOW = Date.parse('2026-11-30T12:00:00Z');

/** A registry that knows every tool name it is asked about, except those listed as missing. */
function registry(missing: readonly string[] = []): ToolRegistry {
  return { find: (name: string) => (missing.includes(name) ? undefined : { name }) } as unknown as ToolRegistry;
}

const pipeline = { run: () => Promise.reject(new Error('no tool runs in these tests')) } as unknown as ToolPipeline;

function catalog(prompts: readonly PromptDefinition[] = PRODUCT_PROMPTS, missing: readonly string[] = []): PromptCatalog {
  return new PromptCatalog(prompts, { now: () => NOW }, registry(missing));
}

function problemsOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return [...(error as AppError).details];
  }
  throw new Error('expected invalid_input');
}

const prompt = (name: string): PromptDefinition => PRODUCT_PROMPTS.find((candidate) => candidate.name === name)!;

describe(PromptCatalog, () => {
  it('accepts ids as numbers or digit strings, and treats null and empty optionals as absent', () => {
    const rendered = catalog().render(prompt('player_report'), { player_id: 7, since: null });
    const text = (rendered.messages[0]!.content as { text: string }).text;
    expect(text).toContain('`get_player_stats` {"player_id":7} — ');
    expect(catalog().render(prompt('player_report'), { player_id: '7', since: '' }).messages).toHaveLength(1);
  });

  it.each([
    [{ player_id: '0' }, 'player_id must be a positive integer id'],
    [{ player_id: '2147483648' }, 'player_id must be a positive integer id'],
    [{ player_id: 1.5 }, 'player_id must be a positive integer id'],
    [{ player_id: ['1'] }, 'player_id must be a string'],
    [{ player_id: '1', since: '2026-13-01' }, 'since must be a date as YYYY-MM-DD'],
    [{ player_id: '1', since: '2026-1-01' }, 'since must be a date as YYYY-MM-DD'],
  ])('refuses %j', (args, message) => {
    expect(problemsOf(() => catalog().render(prompt('player_report'), args)).map((problem) => problem.message)).toContain(message);
  });

  it('refuses text with control characters or over its length, and a choice outside its values', () => {
    const problems = problemsOf(() => catalog().render(prompt('find_a_game'), { region: 'Tex\u0000as', kind: 'paintball' }));
    expect(problems.map((problem) => problem.field)).toEqual(['region', 'kind']);
    expect(problemsOf(() => catalog().render(prompt('find_a_game'), { region: 'x'.repeat(65) }))[0]?.field).toBe('region');
  });

  it('names an unknown argument without echoing more than 64 characters of it', () => {
    const [problem] = problemsOf(() => catalog().render(prompt('plan_my_week'), { ['y'.repeat(500)]: '1' }));
    expect(problem?.field).toHaveLength(64);
  });

  it('computes plan_my_week\'s window from the clock', () => {
    const text = (catalog().render(prompt('plan_my_week'), {}).messages[0]!.content as { text: string }).text;
    expect(text).toContain('`list_my_events` {"to":"2026-12-07","limit":20}');
  });

  it('refuses to render a prompt that suggests a tool the catalog does not have', () => {
    expect(() => catalog(PRODUCT_PROMPTS, ['get_head_to_head']).render(prompt('scout_opponent'), { squad_id: 1, opponent_squad_id: 2 })).toThrow(
      'suggests get_head_to_head',
    );
  });

  it('completes choices by prefix in any case, and nothing for arguments without a source', async () => {
    const completions = (missing: readonly string[] = []): PromptCompletions => new PromptCompletions(catalog(PRODUCT_PROMPTS, missing), registry(missing), pipeline);
    expect(await completions().complete('find_a_game', 'kind', 'OPEN')).toEqual(['open_play']);
    expect(await completions().complete('player_report', 'since', '2026')).toEqual([]);
    expect(await completions().complete('find_a_game', 'nothing', '')).toEqual([]);
    expect(await completions(['list_regions']).complete('find_a_game', 'region', 'tex')).toEqual([]);
  });
});
