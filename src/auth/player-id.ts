const DIGITS = /^[1-9]\d{0,9}$/;
const MAX_PLAYER_ID = 2_147_483_647;

/**
 * An end user's player id as the canonical digits, from a header or a token claim (a string of
 * digits, or an integer): a positive integer that fits a PostgreSQL integer. Anything else is undefined.
 */
export function asPlayerId(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && DIGITS.test(text) && Number(text) <= MAX_PLAYER_ID ? text : undefined;
}
