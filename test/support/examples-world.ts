import { Pool } from 'pg';

import type { Clock } from '../../src/common/clock';
import { endPool } from '../../src/demo/end-pool';
import { seedDatabase } from '../../src/demo/seed';
import { DEMO_CORPUS_DIR } from '../../src/documents/demo-corpus';
import { ingestFolder } from '../../src/documents/ingest';
import { createDatabase, dropDatabase } from './test-database';

export interface ExamplesWorld {
  readonly url: string;
  /** Time as the world sees it: the anchor, then on with the wall clock. */
  readonly clock: Clock;
  drop(): Promise<void>;
}

/**
 * The demo world and help center as they stand at `anchor`: a fresh database seeded around it,
 * its documents stamped at it, and a clock that starts there, so the tools answer the same
 * whatever the day.
 */
export async function examplesWorld(anchor: string): Promise<ExamplesWorld> {
  const name = `squad_examples_${process.pid}_${Date.now()}`;
  const url = await createDatabase(name);
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await seedDatabase(pool, { now: new Date(anchor) });
    await ingestFolder(pool, { dir: DEMO_CORPUS_DIR });
    await pool.query('UPDATE squad_docs.documents SET updated_at = $1', [anchor]);
  } finally {
    await endPool(pool);
  }
  const offset = Date.parse(anchor) - Date.now();
  return { url, clock: { now: () => Date.now() + offset }, drop: () => dropDatabase(name) };
}
