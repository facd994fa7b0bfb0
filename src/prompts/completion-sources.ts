import type { CompletionSource } from '../mcp/catalog/prompt-definition';

const MAX_CANDIDATES = 100;
const DIGITS = /^[0-9]+$/;

interface Items<T> {
  items: T[];
}

/** Region names containing what was typed, any case. */
export const REGIONS: CompletionSource = {
  tool: 'list_regions',
  arguments: () => ({ limit: MAX_CANDIDATES }),
  values: (output, typed) =>
    (output as Items<{ region: string }>).items.map((item) => item.region).filter((region) => region.toLowerCase().includes(typed.toLowerCase())),
};

/**
 * Ids of the entities whose name contains what was typed (the tool's `query` fragment search), or
 * whose id starts with it when digits were typed.
 */
function idsByName(tool: string): CompletionSource {
  return {
    tool,
    arguments: (typed) => (typed === '' || DIGITS.test(typed) ? { limit: MAX_CANDIDATES } : { query: typed.slice(0, MAX_CANDIDATES), limit: MAX_CANDIDATES }),
    values: (output, typed) =>
      (output as Items<{ id: number }>).items.map((item) => String(item.id)).filter((id) => !DIGITS.test(typed) || id.startsWith(typed)),
  };
}

export const SQUAD_IDS = idsByName('list_squads');
export const PLAYER_IDS = idsByName('search_players');
