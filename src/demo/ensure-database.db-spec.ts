import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { ADMIN_DB_URL, databaseUrl, dropDatabase } from '../../test/support/test-database';
import { ensureDatabase } from './ensure-database';

describe('ensureDatabase', () => {
  const name = `squad_ensure_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await dropDatabase(name);
  });

  it('creates a missing database once, then finds it there', async () => {
    expect(await ensureDatabase(databaseUrl(name))).toBe(true);
    expect(await ensureDatabase(databaseUrl(name))).toBe(false);
    const client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      expect((await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name).toBe(name);
    } finally {
      await client.end();
    }
  });

  it('says how to create the database when the role may not', async () => {
    const role = `squad_no_createdb_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    try {
      // A role name cannot be a bound parameter; the driver quotes it.
      // eslint-disable-next-line squad/no-sql-interpolation
      await admin.query(`CREATE ROLE ${admin.escapeIdentifier(role)} LOGIN NOCREATEDB`);
      const url = new URL(databaseUrl(`${name}_refused`));
      url.username = role;
      const refusal = ensureDatabase(url.toString());
      await expect(refusal).rejects.toThrow(`database "${name}_refused" does not exist and could not be created (permission denied`);
      await expect(refusal).rejects.toThrow(`create it with: createdb -h ${url.hostname} -p ${url.port || '5432'} ${name}_refused`);
    } finally {
      // eslint-disable-next-line squad/no-sql-interpolation
      await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
      await admin.end();
    }
  });

  it('passes other connection failures through unchanged', async () => {
    await expect(ensureDatabase('postgres://postgres@127.0.0.1:1/squad')).rejects.toThrow(/ECONNREFUSED/);
  });
});
