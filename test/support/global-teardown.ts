import { dropDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.SQUAD_E2E_DB_NAME;
  if (name !== undefined) {
    await dropDatabase(name);
  }
}
