import { Player } from '../domains/players/entities/player.entity';
import { SqlBuilder } from './sql-builder';
import { compileList, variants, whereBound } from './sql-query';

describe('variants', () => {
  let sql: SqlBuilder;

  beforeAll(async () => {
    sql = await SqlBuilder.create();
  });

  function family() {
    const params = ['region', 'position', 'minRating'] as const;
    return variants(['region', 'position'] as const, (variant) => {
      const filtered = () =>
        whereBound(sql.select(Player, 'p').where('p.skillRating >= :minRating'), variant, {
          region: 'p.region = :region',
          position: 'p.position = :position',
        });
      return compileList('probe_list', params, filtered, (builder) => builder.select('p.id', 'id'), variant);
    });
  }

  it('picks the statement that states only the given filters, binding only their values', () => {
    const pick = family();
    const regionOnly = pick({ region: 'Texas', position: null });
    expect(regionOnly.page.text).toContain('"p"."region" = $2');
    expect(regionOnly.page.text).not.toContain('position');
    expect(regionOnly.page.params).toEqual(['minRating', 'region', 'limit', 'offset']);
    expect(regionOnly.count.params).toEqual(['minRating', 'region']);
    const none = pick({ region: undefined, position: null });
    expect(none.page.params).toEqual(['minRating', 'limit', 'offset']);
  });

  it('names each variant after its family and its given filters, the unfiltered one plainly', () => {
    const pick = family();
    expect(pick({ region: 'Texas', position: 'back' }).page).toMatchObject({ name: 'probe_list', statement: 'probe_list[region,position]' });
    expect(pick({ region: null, position: 'back' }).count).toMatchObject({ name: 'probe_list_count', statement: 'probe_list_count[position]' });
    expect(pick({ region: null, position: null }).page.statement).toBeUndefined();
  });

  it('compiles every combination once, up front', () => {
    const pick = family();
    expect(pick({ region: 'Texas', position: null })).toBe(pick({ region: 'Ohio', position: null }));
  });
});
