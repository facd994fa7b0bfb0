import type { Type } from '@nestjs/common';

import { BooleanField, IntField, NestedField } from './fields';

export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 1000;
export const MAX_PAGE_OFFSET = 1_000_000;

/**
 * The paging inputs every list tool accepts. Their names, bounds and defaults say what they are,
 * and each list tool's description says how to page, so they carry no prose of their own.
 */
export class PageInput {
  @IntField({
    min: 1,
    max: MAX_PAGE_LIMIT,
    optional: true,
    default: DEFAULT_PAGE_LIMIT,
    example: DEFAULT_PAGE_LIMIT,
  })
  limit: number = DEFAULT_PAGE_LIMIT;

  @IntField({
    min: 0,
    max: MAX_PAGE_OFFSET,
    optional: true,
    default: 0,
    example: 0,
  })
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  total_count: number;
  has_more: boolean;
  next_offset: number | null;
}

/** Builds the output DTO of a list tool: `{ items, limit, offset, total_count, has_more, next_offset }`. */
export function PageOf<T>(item: () => Type<T>, name: string): Type<Page<T>> {
  class PageOutput implements Page<T> {
    @NestedField(item, { description: 'The items of this page, in the documented order', array: true })
    items!: T[];

    @IntField({ description: 'The page size that was applied', min: 1, max: MAX_PAGE_LIMIT, example: 10 })
    limit!: number;

    @IntField({ description: 'The offset that was applied', min: 0, max: MAX_PAGE_OFFSET, example: 0 })
    offset!: number;

    @IntField({ description: 'How many items match in all pages', min: 0, example: 42 })
    total_count!: number;

    @BooleanField({ description: 'Whether a page after this one has items', example: true })
    has_more!: boolean;

    @IntField({
      description: 'The offset to ask for next (null on the last page); a page cut short by the result budget continues here',
      min: 0,
      nullable: true,
      example: 10,
    })
    next_offset!: number | null;
  }
  Object.defineProperty(PageOutput, 'name', { value: name });
  return PageOutput;
}

export function toPage<T>(items: T[], totalCount: number, input: PageInput): Page<T> {
  const hasMore = input.offset + items.length < totalCount;
  return {
    items,
    limit: input.limit,
    offset: input.offset,
    total_count: totalCount,
    has_more: hasMore,
    next_offset: hasMore ? input.offset + items.length : null,
  };
}
