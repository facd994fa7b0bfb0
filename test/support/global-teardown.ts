import { dropDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  for (const name of [process.env.SQUAD_E2E_DB_NAME, process.env.SQUAD_E2E_LARGE_DB_NAME]) {
    if (name !== undefined) {
      await dropDatabase(name);
    }
  }
}
