import { AppError } from '../errors/app-error';

export interface TimeRange {
  readonly since: Date | null;
  readonly until: Date | null;
}

/** Parses optional ISO 8601 bounds and checks that `since` is not after `until`. */
export function timeRange(
  since: string | undefined,
  until: string | undefined,
  names: readonly [string, string] = ['since', 'until'],
): TimeRange {
  const range = { since: since === undefined ? null : new Date(since), until: until === undefined ? null : new Date(until) };
  if (range.since !== null && range.until !== null && range.since > range.until) {
    throw AppError.invalidInput([{ field: names[0], message: `${names[0]} must not be after ${names[1]}` }]);
  }
  return range;
}

/** Escapes `%`, `_` and `\` so a user's text matches literally inside an ILIKE pattern. */
export function containsPattern(text: string | undefined): string | null {
  return text === undefined ? null : '%' + text.replace(/[\\%_]/g, (char) => '\\' + char) + '%';
}
