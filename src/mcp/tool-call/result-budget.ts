import type { JsonSchema } from '../catalog/tool-definition';

interface PageShape {
  items: unknown[];
  offset: number;
  has_more: boolean;
  next_offset: number | null;
}

function isPage(output: object): output is PageShape & Record<string, unknown> {
  const page = output as Partial<PageShape>;
  return Array.isArray(page.items) && typeof page.offset === 'number' && 'next_offset' in page;
}

/** Whether a tool's output schema is a page, whose answers the budget may cut short. */
export function isPageSchema(schema: JsonSchema): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return properties !== undefined && 'items' in properties && 'next_offset' in properties;
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function fitted<T>(output: T, json = JSON.stringify(output)): Fitted<T> {
  return { output, json, bytes: Buffer.byteLength(json) };
}

/** An answer fitted to a budget, as JSON text too, with the bytes that text takes. */
export interface Fitted<T> {
  readonly output: T;
  readonly json: string;
  readonly bytes: number;
}

/**
 * Keeps one answer within `maxBytes` of JSON. A page over it keeps as many items as fit (at least
 * one, so paging always advances) and says where to continue (`has_more`, `next_offset`); it stays
 * valid against its schema. Anything else is returned as it is.
 */
export function fitToBudget<T extends object>(output: T, maxBytes: number): Fitted<T> {
  const whole = fitted(output);
  if (whole.bytes <= maxBytes || !isPage(output)) {
    return whole;
  }
  const { items, offset } = output;
  // Measured with the largest next_offset and has_more true, so the final answer is never longer.
  let size = byteLength({ ...output, items: [], has_more: true, next_offset: offset + items.length });
  let kept = 0;
  while (kept < items.length) {
    const next = size + byteLength(items[kept]) + (kept === 0 ? 0 : 1);
    if (next > maxBytes && kept > 0) {
      break;
    }
    size = next;
    kept += 1;
  }
  if (kept === items.length) {
    return whole;
  }
  return fitted({ ...output, items: items.slice(0, kept), has_more: true, next_offset: offset + kept });
}
