import type { Pool } from 'pg';

/**
 * Ends a pg pool and waits until every connection is really closed. `pool.end()` resolves as soon
 * as its clients are told to end, so whatever comes right after (a `DROP DATABASE … WITH (FORCE)`,
 * stopping the embedded database) can still hit a live connection, whose error then surfaces as an
 * unhandled 'error' event of the pool.
 */
export async function endPool(pool: Pool): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    pool.on('remove', () => {
      open -= 1;
      if (open <= 0) {
        resolve();
      }
    });
  });
  await pool.end();
  if (open > 0) {
    await closed;
  }
}
