// YYYY-MM-DD, optionally followed by THH:MM[:SS[.fraction]] and a zone (Z or ±HH:MM).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** The longest text `parseIsoInstant` can accept. */
export const MAX_ISO_INSTANT_LENGTH = '0000-00-00T00:00:00.000000000+00:00'.length;

function inRange(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The one date parser for inputs: an ISO 8601 calendar date (`2026-05-01`, midnight UTC) or a
 * date-time with a time zone (`2026-05-01T18:00:00Z`, `…+02:00`), on a real calendar day.
 * Anything it accepts is a valid instant; anything else is `undefined`.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone, zoneHours = '0', zoneMinutes = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const valid =
    inRange(year, 1, 9999) &&
    inRange(month, 1, 12) &&
    inRange(day, 1, daysInMonth(year, month)) &&
    inRange(hour, 0, 23) &&
    inRange(minute, 0, 59) &&
    inRange(second, 0, 59) &&
    inRange(Number(zoneHours), 0, 23) &&
    inRange(Number(zoneMinutes), 0, 59);
  if (!valid) {
    return undefined;
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Math.floor(Number(`0.${fraction || '0'}`) * 1000));
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  return new Date(utc.getTime() - offsetMinutes * 60_000);
}
