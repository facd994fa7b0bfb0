/**
 * Whether a tool's answer carries data, not just a well-formed shape: an object with fields, in
 * which every list (a page's `items`, a roster's `members`, a match's stat lines) holds something.
 * An example that matches nothing in the demo world fails this.
 */
export function emptyPartsOf(answer: unknown): string[] {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    return ['the answer is not an object'];
  }
  const entries = Object.entries(answer);
  if (entries.length === 0) {
    return ['the answer has no fields'];
  }
  return entries.filter(([, value]) => Array.isArray(value) && value.length === 0).map(([name]) => `${name} is empty`);
}
