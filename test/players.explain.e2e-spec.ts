import { SqlBuilder } from '../src/database/sql-builder';
import { PlayersRepository } from '../src/domains/players/players.repository';
import { accessPaths, ExplainingGateway, PLAN_MODES } from './support/explaining-gateway';
import { LARGE_WORLD_SEED_MS, largeWorldUrl } from './support/large-world';

/** On the large world, the players queries reach their rows through indexes. */
describe.each(PLAN_MODES)('players queries on the large world (%s plans)', (mode) => {
  let gateway: ExplainingGateway;
  let repository: PlayersRepository;

  beforeAll(async () => {
    gateway = ExplainingGateway.forUrl(await largeWorldUrl(), mode);
    repository = new PlayersRepository(await SqlBuilder.create(), gateway);
  }, LARGE_WORLD_SEED_MS);

  afterAll(async () => {
    await gateway.onModuleDestroy();
  });

  it('player_stats looks the player and their stat lines up by index', async () => {
    await repository.stats(1234, null, null);
    const { indexes, seqScans } = accessPaths(gateway.plans.get('player_stats')!);
    expect(indexes).toEqual(expect.arrayContaining(['players_pkey', 'match_player_stats_player_idx', 'matches_pkey']));
    expect(seqScans).toEqual([]);
  });

  it('player_matches and its count use the stat-line index', async () => {
    await repository.matches(1234, 10, 0);
    for (const name of ['player_matches', 'player_matches_count']) {
      const { indexes, seqScans } = accessPaths(gateway.plans.get(name)!);
      expect(indexes).toContain('match_player_stats_player_idx');
      expect(seqScans).toEqual([]);
    }
  });

  it('players_search by a name fragment and its count collect the matches through the trigram indexes', async () => {
    const { rows } = await gateway.pool.query<{ fragment: string }>("SELECT lower(substr(callsign, 2, 3)) AS fragment FROM players WHERE id = 1234");
    await repository.search({ pattern: '%' + rows[0]!.fragment + '%', region: null, position: null }, 10, 0);
    for (const name of ['players_search', 'players_search_count']) {
      const { indexes, seqScans } = accessPaths(gateway.plans.get(name)!);
      expect(indexes).toEqual(['players_callsign_trgm_gist_idx', 'players_display_name_trgm_gist_idx']);
      expect(seqScans).toEqual([]);
    }
  });

  it('players_search by region and position uses the region index', async () => {
    await repository.search({ pattern: null, region: 'pacific northwest', position: 'back' }, 10, 0);
    const { indexes, seqScans } = accessPaths(gateway.plans.get('players_search_count')!);
    expect(indexes).toContain('players_lower_region_position_idx');
    expect(seqScans).toEqual([]);
  });
});
