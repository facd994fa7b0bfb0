import { SqlBuilder } from '../src/database/sql-builder';
import { MatchesRepository } from '../src/domains/matches/matches.repository';
import { accessPaths, ExplainingGateway, PLAN_MODES } from './support/explaining-gateway';
import { LARGE_WORLD_SEED_MS, largeWorldUrl } from './support/large-world';

const BIG_TABLES = ['match_player_stats', 'event_rsvps', 'matches', 'players', 'events'];

/**
 * On the large world, the matches queries reach their rows through indexes whenever a filter
 * narrows them. One day of matches is a selective window; a week or more, a region alone, or no
 * filter at all aggregates a large share of the stat lines, where a sequential scan is the
 * planner's right choice, so those cases are not asserted here.
 */
describe.each(PLAN_MODES)('matches queries on the large world (%s plans)', (mode) => {
  let gateway: ExplainingGateway;
  let repository: MatchesRepository;
  let oneDay: { since: Date; until: Date };
  let squadId: number;
  let fieldId: number;

  beforeAll(async () => {
    gateway = ExplainingGateway.forUrl(await largeWorldUrl(), mode);
    repository = new MatchesRepository(await SqlBuilder.create(), gateway);
    const { rows } = await gateway.pool.query<{ day: Date; squad_id: number; field_id: number }>(
      `SELECT date_trunc('day', played_at) AS day, home_squad_id AS squad_id, field_id FROM matches
        WHERE status = 'final' ORDER BY played_at DESC, id DESC LIMIT 1 OFFSET 500`,
    );
    const sample = rows[0]!;
    oneDay = { since: sample.day, until: new Date(sample.day.getTime() + 86_400_000) };
    squadId = sample.squad_id;
    fieldId = sample.field_id;
  }, LARGE_WORLD_SEED_MS);

  afterAll(async () => {
    await gateway.onModuleDestroy();
  });

  function expectIndexes(name: string, expected: string[]): void {
    const { indexes, seqScans } = accessPaths(gateway.plans.get(name)!);
    expect(indexes).toEqual(expect.arrayContaining(expected));
    expect(seqScans.filter((table) => BIG_TABLES.includes(table))).toEqual([]);
  }

  it("matches_recent and its count find a squad's home and away matches by index", async () => {
    await repository.recent({ squadId, fieldId: null, since: null, until: null }, 10, 0);
    expectIndexes('matches_recent', ['matches_home_squad_idx', 'matches_away_squad_idx']);
    expectIndexes('matches_recent_count', ['matches_home_squad_idx', 'matches_away_squad_idx', 'squads_pkey']);
  });

  it('matches_recent and its count find a field’s matches by index', async () => {
    await repository.recent({ squadId: null, fieldId, since: null, until: null }, 10, 0);
    expectIndexes('matches_recent', ['matches_field_idx']);
    expectIndexes('matches_recent_count', ['matches_field_idx', 'fields_pkey']);
  });

  it('matches_recent and its count read a time window from the played_at index', async () => {
    await repository.recent({ squadId: null, fieldId: null, ...oneDay }, 10, 0);
    expectIndexes('matches_recent', ['matches_final_played_at_idx']);
    expectIndexes('matches_recent_count', ['matches_final_played_at_idx']);
  });

  it('matches_recent without filters walks the played_at index for its page', async () => {
    await repository.recent({ squadId: null, fieldId: null, since: null, until: null }, 10, 0);
    expectIndexes('matches_recent', ['matches_final_played_at_idx']);
  });

  it.each(['eliminations', 'elimination_ratio', 'wins', 'flag_captures'] as const)(
    'leaderboard_%s over one day reads matches, stat lines and players by index',
    async (metric) => {
      await repository.leaderboard(metric, { region: null, ...oneDay, minMatches: 1 }, 10, 0);
      expectIndexes('leaderboard_' + metric, ['matches_final_played_at_idx', 'match_player_stats_pkey', 'players_pkey']);
      expectIndexes('leaderboard_count', ['matches_final_played_at_idx', 'match_player_stats_pkey']);
    },
  );

  it('squad_rankings and its count read a region’s squads and their matches by index', async () => {
    await repository.squadRankings({ region: 'TEXAS', since: null, until: null, minMatches: 1 }, 10, 0);
    for (const name of ['squad_rankings', 'squad_rankings_count']) {
      expectIndexes(name, ['squads_lower_region_idx', 'matches_home_squad_idx', 'matches_away_squad_idx']);
    }
  });

  it("squad_rankings without filters still reaches each squad's matches by index", async () => {
    await repository.squadRankings({ region: null, since: null, until: null, minMatches: 1 }, 10, 0);
    expectIndexes('squad_rankings', ['matches_home_squad_idx', 'matches_away_squad_idx']);
  });

  it('squad_rankings over one day reads the window by index', async () => {
    await repository.squadRankings({ region: null, ...oneDay, minMatches: 1 }, 10, 0);
    expectIndexes('squad_rankings', ['matches_final_played_at_idx', 'squads_pkey']);
  });
});
