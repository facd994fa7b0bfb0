import { Client } from 'pg';

// PostgreSQL's SQLSTATE for connecting to a database that does not exist.
const INVALID_CATALOG_NAME = '3D000';
// Every PostgreSQL server has it; CREATE DATABASE runs from there.
const MAINTENANCE_DATABASE = 'postgres';

function isMissingDatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === INVALID_CATALOG_NAME;
}

/**
 * Creates the database that `url` names when it does not exist yet (as `createdb` would), so
 * `npm run seed` and the bench work against a fresh server. Returns whether it created it.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if (!isMissingDatabase(error)) {
      throw error;
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = `/${MAINTENANCE_DATABASE}`;
  const admin = new Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    // An identifier cannot be a bound parameter; it is quoted by the driver.
    // eslint-disable-next-line squad/no-sql-interpolation
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    throw new Error(
      `database "${name}" does not exist and could not be created (${error instanceof Error ? error.message : String(error)}); ` +
        `create it with: createdb -h ${target.hostname} -p ${target.port || '5432'} ${name}`,
      { cause: error },
    );
  } finally {
    await admin.end();
  }
}
