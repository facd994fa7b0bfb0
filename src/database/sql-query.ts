import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** A fixed, parameterized statement with a stable name (used in metrics and logs). */
export interface SqlQuery<P extends string = string> {
  readonly name: string;
  readonly text: string;
  /** The parameter names in `$1…$n` order. */
  readonly params: readonly P[];
}

const MARKER = 'squad-mcp:param:';

/**
 * Freezes a query builder into SQL text once, at start: each named `:param` becomes `$n`,
 * and the order of names is kept so a call only binds values.
 */
export function compileQuery<const P extends string>(
  name: string,
  params: readonly P[],
  builder: SelectQueryBuilder<ObjectLiteral>,
): SqlQuery<P> {
  builder.setParameters(Object.fromEntries(params.map((param) => [param, MARKER + param])));
  const [text, markers] = builder.getQueryAndParameters();
  const order = markers.map((marker) => {
    const param = params.find((candidate) => marker === MARKER + candidate);
    if (param === undefined) {
      throw new Error(`Query ${name} binds a value that is not a declared parameter`);
    }
    return param;
  });
  const unused = params.filter((param) => !order.includes(param));
  if (unused.length > 0) {
    throw new Error(`Query ${name} declares unused parameters: ${unused.join(', ')}`);
  }
  return { name, text, params: order };
}

/** Adds `LIMIT`/`OFFSET` bound to the `limit` and `offset` parameters, which every list query takes. */
export function paged<P extends string>(query: SqlQuery<P>): SqlQuery<P | 'limit' | 'offset'> {
  const next = query.params.length + 1;
  // The placeholders are numbered from the statement's own parameter count, never from input.
  const text = [query.text, 'LIMIT', '$' + String(next), 'OFFSET', '$' + String(next + 1)].join(' ');
  return { name: query.name, text, params: [...query.params, 'limit', 'offset'] };
}

/** A list's page statement and the exact count of all its rows. */
export interface ListQuery<P extends string> {
  readonly page: SqlQuery<P | 'limit' | 'offset'>;
  readonly count: SqlQuery<P>;
}

export interface RowPage<R> {
  readonly rows: R[];
  readonly total: number;
}

/**
 * Compiles a list from one filtered builder: the page (shaped, ordered, limited) and its count
 * share the filter by construction, so the two can never disagree.
 */
export function compileList<const P extends string>(
  name: string,
  params: readonly P[],
  filtered: () => SelectQueryBuilder<ObjectLiteral>,
  shape: (builder: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
): ListQuery<P> {
  return {
    page: paged(compileQuery(name, params, shape(filtered()))),
    count: compileQuery(name + '_count', params, filtered().select('CAST(COUNT(*) AS integer)', 'total')),
  };
}
