import { dropDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const large = process.env.SQUAD_E2E_LARGE_DB_NAME;
  for (const name of [process.env.SQUAD_E2E_DB_NAME, large, large === undefined ? undefined : `${large}_loading`]) {
    if (name !== undefined) {
      await dropDatabase(name);
    }
  }
}
