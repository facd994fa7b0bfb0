/** The most characters of a value the caller chose (a name, an id) that an answer, a log line or a span repeats. */
export const MAX_ECHO_CHARS = 128;

/** The value, cut to at most `max` characters (the last an ellipsis) when longer. */
export function capped(value: string, max = MAX_ECHO_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
