import { Linter } from 'eslint';

/** The lint rule that keeps SQL fixed: it must flag assembled SQL and leave constant SQL alone. */
describe('squad/no-sql-interpolation', () => {
  let linter: Linter;
  let config: Linter.Config[];

  beforeAll(async () => {
    const { default: rule } = await import('../tools/eslint/no-sql-interpolation.mjs');
    linter = new Linter({ configType: 'flat' });
    config = [
      {
        plugins: { squad: { rules: { 'no-sql-interpolation': rule } } },
        rules: { 'squad/no-sql-interpolation': 'error' },
        languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
      },
    ];
  });

  const messages = (code: string): string[] => linter.verify(code, config).map((message) => message.message);

  it.each([
    'db.query(`SELECT * FROM players WHERE id = ${id}`);',
    "db.query('SELECT * FROM players WHERE id = ' + id);",
    "const sql = 'DELETE FROM players WHERE callsign = \\'' + name + '\\'';",
    'qb.where(`p.region = ${region}`);',
    "const order = 'ORDER BY ' + column;",
    "qb.andWhere('p.region = ' + region);",
  ])('flags %s', (code) => {
    expect(messages(code)).toHaveLength(1);
  });

  it.each([
    "db.query('SELECT * FROM players WHERE id = $1', [id]);",
    "qb.where('p.region = :region').andWhere('(CAST(:q AS text) IS NULL OR p.callsign ILIKE :q)');",
    "const text = 'SELECT a ' + 'FROM b ' + 'WHERE c = $1';",
    'const greeting = `Player ${id} not found`;',
    "const label = 'limit: ' + String(limit);",
  ])('accepts %s', (code) => {
    expect(messages(code)).toEqual([]);
  });
});
