import { AppError } from '../errors/app-error';

export interface TimeRange {
  readonly since: Date | null;
  readonly until: Date | null;
}

/** Checks that the optional bounds `since` and `until` are in order; absent bounds become `null`. */
export function timeRange(
  since: Date | undefined,
  until: Date | undefined,
  names: readonly [string, string] = ['since', 'until'],
): TimeRange {
  const range = { since: since ?? null, until: until ?? null };
  if (range.since !== null && range.until !== null && range.since > range.until) {
    throw AppError.invalidInput([{ field: names[0], message: `${names[0]} must not be after ${names[1]}` }]);
  }
  return range;
}

/** Escapes `%`, `_` and `\` so a user's text matches literally inside an ILIKE pattern. */
export function containsPattern(text: string | undefined): string | null {
  return text === undefined ? null : '%' + text.replace(/[\\%_]/g, (char) => '\\' + char) + '%';
}
