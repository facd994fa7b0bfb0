import { SqlBuilder } from '../src/database/sql-builder';
import { SquadsRepository } from '../src/domains/squads/squads.repository';
import { accessPaths, ExplainingGateway, PLAN_MODES } from './support/explaining-gateway';
import { LARGE_WORLD_SEED_MS, largeWorldUrl } from './support/large-world';

const BIG_TABLES = ['match_player_stats', 'event_rsvps', 'matches', 'players', 'events'];

/** On the large world, the squads queries reach their rows through indexes. */
describe.each(PLAN_MODES)('squads queries on the large world (%s plans)', (mode) => {
  let gateway: ExplainingGateway;
  let repository: SquadsRepository;
  let rivals: { a: number; b: number };

  beforeAll(async () => {
    gateway = ExplainingGateway.forUrl(await largeWorldUrl(), mode);
    repository = new SquadsRepository(await SqlBuilder.create(), gateway);
    const { rows } = await gateway.pool.query<{ a: number; b: number }>(
      `SELECT LEAST(home_squad_id, away_squad_id) AS a, GREATEST(home_squad_id, away_squad_id) AS b FROM matches
        WHERE status = 'final' GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2 LIMIT 1`,
    );
    rivals = rows[0]!;
  }, LARGE_WORLD_SEED_MS);

  afterAll(async () => {
    await gateway.onModuleDestroy();
  });

  function paths(name: string): { indexes: string[]; seqScans: string[] } {
    const plan = gateway.plans.get(name);
    expect(plan).toBeDefined();
    return accessPaths(plan!);
  }

  it('squads_list and its count by region use the region index, and member counts use the membership key', async () => {
    await repository.list({ pattern: null, region: 'Pacific Northwest', recruiting: true }, 10, 0);
    const page = paths('squads_list');
    expect(page.indexes).toEqual(expect.arrayContaining(['squads_lower_region_idx', 'squad_members_pkey']));
    expect(page.seqScans).toEqual([]);
    const count = paths('squads_list_count');
    expect(count.indexes).toContain('squads_lower_region_idx');
    expect(count.seqScans).toEqual([]);
  });

  it('squads_list without filters counts members through the membership key, never a scan of a big table', async () => {
    await repository.list({ pattern: null, region: null, recruiting: null }, 50, 0);
    const { indexes, seqScans } = paths('squads_list');
    expect(indexes).toContain('squad_members_pkey');
    expect(seqScans.filter((table) => BIG_TABLES.includes(table) || table === 'squad_members')).toEqual([]);
  });

  it.each([
    ['all time', null, null],
    ['a date range', new Date('2025-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')],
  ])('squad_record over %s looks the squad and its home and away matches up by index', async (_label, since, until) => {
    await repository.record(rivals.a, since, until);
    const { indexes, seqScans } = paths('squad_record');
    expect(indexes).toEqual(expect.arrayContaining(['squads_pkey', 'matches_home_squad_idx', 'matches_away_squad_idx']));
    expect(seqScans).toEqual([]);
  });

  it('head_to_head_record and head_to_head_matches use the squad keys and the home/away match indexes', async () => {
    const { record } = await repository.headToHead(rivals.a, rivals.b, 10, 0);
    expect(record.matches_played).toBeGreaterThan(0);
    const summary = paths('head_to_head_record');
    expect(summary.indexes).toEqual(expect.arrayContaining(['squads_pkey', 'matches_home_squad_idx', 'matches_away_squad_idx']));
    expect(summary.seqScans).toEqual([]);
    const page = paths('head_to_head_matches');
    expect(page.indexes).toEqual(expect.arrayContaining(['matches_home_squad_idx', 'matches_away_squad_idx']));
    expect(page.seqScans).toEqual([]);
  });
});
