/**
 * Where to end a cut of `text` at `end` (a UTF-16 index) without splitting a character: one
 * earlier when `end` falls between the two halves of a surrogate pair.
 */
export function wholeCharacterEnd(text: string, end: number): number {
  if (end <= 0 || end >= text.length) {
    return Math.max(0, Math.min(end, text.length));
  }
  const before = text.charCodeAt(end - 1);
  return before >= 0xd800 && before <= 0xdbff ? end - 1 : end;
}
