import { Client, type QueryResultRow } from 'pg';

import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { ReadOnlyGateway } from '../../src/database/read-only-gateway';
import type { SqlQuery } from '../../src/database/sql-query';
import { Metrics } from '../../src/observability/metrics';
import { SqlSpans } from '../../src/observability/tracing/sql-spans';
import { Tracing } from '../../src/observability/tracing/tracing';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * How PostgreSQL plans a statement: `custom` for the values of the call (what an unnamed
 * statement gets every time), `generic` for any values (what a prepared statement may settle on
 * after a few calls, forced here with `plan_cache_mode = force_generic_plan`).
 */
export type PlanMode = 'custom' | 'generic';
export const PLAN_MODES: readonly PlanMode[] = ['custom', 'generic'];

type ExplainRow = { 'QUERY PLAN': { Plan: PlanNode }[] };

/** A bound value as an SQL literal, for `EXECUTE name(…)`, which takes no protocol parameters. */
function literal(client: Client, value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  if (value instanceof Date) {
    return client.escapeLiteral(value.toISOString());
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return client.escapeLiteral(String(value));
  }
  throw new Error('no literal for a bound value of this type');
}

/**
 * A read-only gateway that also asks PostgreSQL for the plan of every statement it runs, so a
 * test can drive a repository with real arguments and then check which indexes were used.
 */
export class ExplainingGateway extends ReadOnlyGateway {
  readonly plans = new Map<string, PlanNode>();
  private generic: Promise<Client> | undefined;
  private readonly prepared = new Set<string>();

  constructor(
    config: AppConfig,
    private readonly mode: PlanMode = 'custom',
  ) {
    super(config, Metrics.detached(), new SqlSpans(Tracing.off));
  }

  static forUrl(url: string, mode: PlanMode = 'custom'): ExplainingGateway {
    return new ExplainingGateway(loadConfig({ DB_URL: url }), mode);
  }

  override async rows<R extends QueryResultRow, P extends string>(query: SqlQuery<P>, args: Readonly<Record<P, unknown>>): Promise<R[]> {
    const values = query.params.map((param) => args[param] ?? null);
    const plan = this.mode === 'generic' ? await this.explainGeneric(query, values) : await this.explainCustom(query, values);
    this.plans.set(query.name, plan);
    return super.rows(query, args);
  }

  private async explainCustom(query: SqlQuery, values: unknown[]): Promise<PlanNode> {
    // The statement is one of the app's fixed queries; only the EXPLAIN prefix is added.
    // eslint-disable-next-line squad/no-sql-interpolation
    const explained = await this.pool.query<ExplainRow>('EXPLAIN (FORMAT JSON) ' + query.text, values);
    return explained.rows[0]!['QUERY PLAN'][0]!.Plan;
  }

  /** The plan a prepared statement gets when PostgreSQL plans it once for every value. */
  private async explainGeneric(query: SqlQuery, values: unknown[]): Promise<PlanNode> {
    this.generic ??= (async () => {
      const client = new Client({ connectionString: this.pool.options.connectionString });
      await client.connect();
      await client.query('SET plan_cache_mode = force_generic_plan');
      return client;
    })();
    const client = await this.generic;
    const statement = query.statement ?? query.name;
    const name = client.escapeIdentifier('explain_' + statement);
    if (!this.prepared.has(statement)) {
      // The app's fixed statement under a name of the test's own; the values follow as literals.
      // eslint-disable-next-line squad/no-sql-interpolation
      await client.query('PREPARE ' + name + ' AS ' + query.text);
      this.prepared.add(statement);
    }
    const args = values.map((value) => literal(client, value)).join(', ');
    // eslint-disable-next-line squad/no-sql-interpolation
    const explained = await client.query<ExplainRow>('EXPLAIN (FORMAT JSON) EXECUTE ' + name + (args === '' ? '' : '(' + args + ')'));
    return explained.rows[0]!['QUERY PLAN'][0]!.Plan;
  }

  override async onModuleDestroy(): Promise<void> {
    const generic = this.generic;
    await Promise.all([super.onModuleDestroy(), generic?.then((client) => client.end())]);
  }
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The indexes a plan reads, and the tables it scans sequentially. */
export function accessPaths(plan: PlanNode): { indexes: string[]; seqScans: string[] } {
  const all = nodes(plan);
  return {
    indexes: all.flatMap((node) => (node['Index Name'] === undefined ? [] : [node['Index Name']])),
    seqScans: all.flatMap((node) => (node['Node Type'] === 'Seq Scan' && node['Relation Name'] !== undefined ? [node['Relation Name']] : [])),
  };
}
