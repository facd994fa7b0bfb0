import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** A fixed, parameterized statement with a stable name (used in metrics and logs). */
export interface SqlQuery<P extends string = string> {
  readonly name: string;
  /**
   * The name it is prepared under when it differs from `name`: one variant of a family of
   * statements that share `name` in metrics and logs.
   */
  readonly statement?: string;
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
  variant?: Variant<string>,
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
  return variant === undefined || variant.label === '' ? { name, text, params: order } : { name, text, params: order, statement: `${name}[${variant.label}]` };
}

/** Adds `LIMIT`/`OFFSET` bound to the `limit` and `offset` parameters, which every list query takes. */
export function paged<P extends string>(query: SqlQuery<P>): SqlQuery<P | 'limit' | 'offset'> {
  const next = query.params.length + 1;
  // The placeholders are numbered from the statement's own parameter count, never from input.
  const text = [query.text, 'LIMIT', '$' + String(next), 'OFFSET', '$' + String(next + 1)].join(' ');
  return { ...query, text, params: [...query.params, 'limit', 'offset'] };
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
  variant?: Variant<string>,
): ListQuery<P> {
  const bound = variant === undefined ? params : variant.bound(params);
  return {
    page: paged(compileQuery(name, bound, shape(filtered()), variant)),
    count: compileQuery(name + '_count', bound, filtered().select('CAST(COUNT(*) AS integer)', 'total'), variant),
  };
}

/** One member of a family of statements: which of the family's optional filters it binds. */
export interface Variant<O extends string> {
  /** Whether this variant binds the optional parameter (and so states its condition). */
  has(param: O): boolean;
  /** The parameters this variant binds, out of a full list in that list's order. */
  bound<P extends string>(params: readonly P[]): P[];
  /** The optional parameters it binds, joined by commas; empty for none. */
  readonly label: string;
}

/**
 * States, in the order given, the condition of each optional parameter the variant binds; the
 * conditions of parameters it does not bind are left out of the statement.
 */
export function whereBound<T extends ObjectLiteral, O extends string>(
  builder: SelectQueryBuilder<T>,
  variant: Variant<O>,
  conditions: Readonly<Partial<Record<O, string>>>,
): SelectQueryBuilder<T> {
  for (const [param, condition] of Object.entries(conditions) as [O, string][]) {
    if (variant.has(param)) {
      builder.andWhere(condition);
    }
  }
  return builder;
}

/**
 * One statement per combination of given optional filters, all compiled at start, each prepared
 * under its own name. A catch-all condition (`$1 IS NULL OR column = $1`) serves every
 * combination with one text, but a generic plan, made once for any value, cannot know which
 * side holds and so never reaches the column through its index; a variant states only the
 * conditions that apply, and its generic plan is as good as a plan made for the values.
 */
export function variants<const O extends string, Q>(
  optional: readonly O[],
  compile: (variant: Variant<O>) => Q,
): (args: Readonly<Partial<Record<O, unknown>>>) => Q {
  const table = Array.from({ length: 2 ** optional.length }, (_, mask) => {
    const given = optional.filter((_param, bit) => (mask & (1 << bit)) !== 0);
    const has = (param: string): boolean => (given as readonly string[]).includes(param);
    return compile({
      has,
      bound: (params) => params.filter((param) => !(optional as readonly string[]).includes(param) || has(param)),
      label: given.join(','),
    });
  });
  return (args) => {
    const mask = optional.reduce((bits, param, bit) => ((args[param] ?? null) === null ? bits : bits | (1 << bit)), 0);
    const query = table[mask];
    if (query === undefined) {
      throw new Error('no statement variant for these filters');
    }
    return query;
  };
}
