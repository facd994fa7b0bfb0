import { wholeCharacterEnd } from '../../common/util/text-cut';
import type { JsonSchema } from '../catalog/tool-definition';

interface PageShape {
  items: unknown[];
  offset: number;
  has_more: boolean;
  next_offset: number | null;
}

interface TextPartShape {
  text: string;
  offset: number;
  next_offset: number | null;
}

function isPage(output: object): output is PageShape & Record<string, unknown> {
  const page = output as Partial<PageShape>;
  return Array.isArray(page.items) && typeof page.offset === 'number' && 'next_offset' in page;
}

function isTextPart(output: object): output is TextPartShape & Record<string, unknown> {
  const part = output as Partial<TextPartShape>;
  return typeof part.text === 'string' && typeof part.offset === 'number' && 'next_offset' in part;
}

function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  return (schema.properties as Record<string, unknown> | undefined) ?? {};
}

/** Whether a tool's output schema is a page, whose answers the budget may cut short. */
export function isPageSchema(schema: JsonSchema): boolean {
  const properties = propertiesOf(schema);
  return 'items' in properties && 'next_offset' in properties;
}

/** Whether a tool's output schema is a part of a text (a document), which the budget may cut shorter. */
export function isTextPartSchema(schema: JsonSchema): boolean {
  const properties = propertiesOf(schema);
  return 'text' in properties && 'offset' in properties && 'next_offset' in properties;
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function fitted<T>(output: T, json = JSON.stringify(output)): Fitted<T> {
  return { fits: true, output, json, bytes: Buffer.byteLength(json) };
}

/** An answer fitted to a budget, as JSON text too, with the bytes that text takes. */
export interface Fitted<T> {
  readonly fits: true;
  readonly output: T;
  readonly json: string;
  readonly bytes: number;
}

/** An answer no cut can fit: `bytes` is what it takes whole. */
export interface TooLarge {
  readonly fits: false;
  readonly bytes: number;
}

function fitPage<T extends object>(output: T & PageShape, maxBytes: number, whole: Fitted<T>): Fitted<T> | TooLarge {
  const { items, offset } = output;
  // Measured with the largest next_offset and has_more true, so the final answer is never longer.
  let size = byteLength({ ...output, items: [], has_more: true, next_offset: offset + items.length });
  let kept = 0;
  while (kept < items.length) {
    const next = size + byteLength(items[kept]) + (kept === 0 ? 0 : 1);
    if (next > maxBytes) {
      break;
    }
    size = next;
    kept += 1;
  }
  if (kept === 0) {
    return { fits: false, bytes: whole.bytes };
  }
  return fitted<T>({ ...output, items: items.slice(0, kept), has_more: true, next_offset: offset + kept });
}

function fitTextPart<T extends object>(output: T & TextPartShape, maxBytes: number, whole: Fitted<T>): Fitted<T> | TooLarge {
  const { text, offset } = output;
  const cut = (length: number): Fitted<T> => {
    const end = wholeCharacterEnd(text, length);
    return fitted<T>({ ...output, text: text.slice(0, end), next_offset: offset + end });
  };
  // Every character takes at least one byte: the longest part that may fit is no longer than the budget.
  let low = 0;
  let high = Math.min(text.length, maxBytes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cut(middle).bytes <= maxBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const best = cut(low);
  return wholeCharacterEnd(text, low) === 0 ? { fits: false, bytes: whole.bytes } : best;
}

/**
 * Keeps one answer within `maxBytes` of JSON. A page over it keeps as many items as fit and says
 * where to continue (`has_more`, `next_offset`); a part of a text keeps as many whole characters
 * as fit and says where the next part starts (`next_offset`); either stays valid against its
 * schema. Anything else over it, or a page or part that cannot keep one item or character, does
 * not fit.
 */
export function fitToBudget<T extends object>(output: T, maxBytes: number): Fitted<T> | TooLarge {
  const whole = fitted(output);
  if (whole.bytes <= maxBytes) {
    return whole;
  }
  if (isPage(output)) {
    return fitPage(output, maxBytes, whole);
  }
  if (isTextPart(output)) {
    return fitTextPart(output, maxBytes, whole);
  }
  return { fits: false, bytes: whole.bytes };
}
