// C0 and C1 controls (ESC among them) but tab and line feed, DEL, zero-width characters, the
// left-to-right and right-to-left marks, and the bidirectional embeddings, overrides and isolates:
// characters that can hide or reorder what a model or a person reads.
// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const HIDDEN_OR_REORDERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g;
// eslint-disable-next-line no-control-regex -- the point is to replace control characters
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Text on its way to a model (document text, prompt arguments), with nothing that hides or
 * reorders what is read; tabs and line breaks stay. The one cleaner for every such text.
 */
export function textForModel(text: string): string {
  return text.replace(HIDDEN_OR_REORDERING, '');
}

/**
 * A one-line value for a model (a title, a category, a snippet): control characters, line breaks
 * and tabs become spaces (they often stand between words), the other hidden ones are removed.
 */
export function lineForModel(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  return textForModel(text.replace(CONTROLS, ' ')).replace(/ {2,}/g, ' ').trim().slice(0, maxLength);
}
