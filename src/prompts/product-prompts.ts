import { EVENT_KINDS } from '../domains/events/entities/event.entity';
import type { PromptArgumentDefinition, PromptDefinition } from '../mcp/catalog/prompt-definition';
import { PLAYER_IDS, REGIONS, SQUAD_IDS } from './completion-sources';

const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;

const squadId = (name: string, description: string): PromptArgumentDefinition => ({
  name,
  description,
  required: true,
  type: { kind: 'id' },
  completion: SQUAD_IDS,
});

/** Only the arguments that were given, so the suggested calls carry no nulls. */
function given(args: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(args).filter((entry): entry is [string, string | number] => entry[1] !== undefined));
}

const scoutOpponent: PromptDefinition = {
  name: 'scout_opponent',
  title: 'Scout an opponent',
  description: "Prepares a squad for a match: the opponent's form, roster and the two squads' history against each other.",
  arguments: [
    squadId('squad_id', 'Your squad (list_squads finds its id; completion searches squad names)'),
    squadId('opponent_squad_id', 'The squad you will play (list_squads finds its id; completion searches squad names)'),
  ],
  task: (args) => `Write a scouting report on squad ${String(args.opponent_squad_id)} for squad ${String(args.squad_id)}, which is about to play them.`,
  calls: (args) => [
    { tool: 'get_squad', arguments: { squad_id: args.opponent_squad_id }, purpose: "the opponent's profile" },
    { tool: 'get_squad_record', arguments: { squad_id: args.opponent_squad_id }, purpose: 'their wins, losses, points and current streak' },
    { tool: 'get_squad_roster', arguments: { squad_id: args.opponent_squad_id }, purpose: 'who plays for them, and in which role' },
    {
      tool: 'get_head_to_head',
      arguments: { squad_id: args.squad_id, opponent_squad_id: args.opponent_squad_id, limit: 5 },
      purpose: 'the two squads against each other, last five meetings',
    },
  ],
  presentation:
    'Answer with a one-line verdict first, then their record and streak, the head-to-head, and their captain and ' +
    'co-captains by callsign. Quote numbers as the tools give them; say so when the squads have never met.',
};

const playerReport: PromptDefinition = {
  name: 'player_report',
  title: 'Player report',
  description: "Summarises a player: profile, career numbers (optionally since a date) and recent form.",
  arguments: [
    { name: 'player_id', description: 'The player (search_players finds the id; completion searches callsigns and names)', required: true, type: { kind: 'id' }, completion: PLAYER_IDS },
    { name: 'since', description: 'Only count matches from this date on, as YYYY-MM-DD', required: false, type: { kind: 'date' } },
  ],
  task: (args) =>
    `Report on player ${String(args.player_id)}${args.since === undefined ? '' : ` for the matches since ${String(args.since)}`}.`,
  calls: (args) => [
    { tool: 'get_player', arguments: { player_id: args.player_id }, purpose: 'who the player is' },
    { tool: 'get_player_stats', arguments: given({ player_id: args.player_id, since: args.since }), purpose: 'their totals and ratios' },
    { tool: 'list_player_matches', arguments: { player_id: args.player_id, limit: 5 }, purpose: 'their last five matches' },
  ],
  presentation:
    'Start with callsign, region and position; then matches played, win rate, elimination ratio and flag captures; ' +
    'then the last five results as a short list (date, opponent squad id, result, eliminations). Keep it under 150 words.',
};

const planMyWeek: PromptDefinition = {
  name: 'plan_my_week',
  title: 'Plan my week',
  description: "Lays out the calling user's paintball week: the events they are going to or considering in the next seven days.",
  arguments: [],
  task: () => 'Plan my paintball week: what I have signed up for in the next seven days.',
  calls: (_args, now) => [
    {
      tool: 'list_my_events',
      arguments: { to: new Date(now.getTime() + WEEK_DAYS * DAY_MS).toISOString().slice(0, 10), limit: 20 },
      purpose: 'my upcoming events and my RSVP to each',
    },
  ],
  presentation:
    'List the events day by day (weekday, local start time, title, field), marking the ones I said maybe to. For an ' +
    'event close to capacity, `get_event_attendance` with its event_id tells how many are going. If the list is ' +
    'empty, say so and offer to look for open events with `list_upcoming_events`.',
};

const findAGame: PromptDefinition = {
  name: 'find_a_game',
  title: 'Find a game',
  description: 'Finds upcoming events to play in a region, optionally of one kind, and the fields that host them.',
  arguments: [
    { name: 'region', description: 'The region (list_regions names them; any case; completion offers them)', required: true, type: { kind: 'text', maxLength: 64 }, completion: REGIONS },
    { name: 'kind', description: `Only events of this kind: ${EVENT_KINDS.join(', ')}`, required: false, type: { kind: 'choice', values: EVENT_KINDS } },
  ],
  task: (args) => `Find me a paintball game in ${String(args.region)}${args.kind === undefined ? '' : ` (${String(args.kind)})`}.`,
  calls: (args) => [
    { tool: 'list_upcoming_events', arguments: given({ region: args.region, kind: args.kind, limit: 10 }), purpose: 'the next events there, soonest first' },
    { tool: 'list_fields', arguments: { region: args.region, limit: 50 }, purpose: "the region's fields, with their city and kind" },
  ],
  presentation:
    'Recommend the best one or two events first (date, field and city, kind, capacity), then list the rest briefly. ' +
    'If nothing is scheduled, name the region\'s fields so I can contact one.',
};

/** The questions the product exists to answer, as MCP prompts. */
export const PRODUCT_PROMPTS: readonly PromptDefinition[] = [scoutOpponent, playerReport, planMyWeek, findAGame];
