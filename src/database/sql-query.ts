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
