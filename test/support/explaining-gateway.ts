import type { QueryResultRow } from 'pg';

import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { ReadOnlyGateway } from '../../src/database/read-only-gateway';
import type { SqlQuery } from '../../src/database/sql-query';
import { Metrics } from '../../src/observability/metrics';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * A read-only gateway that also asks PostgreSQL for the plan of every statement it runs, so a
 * test can drive a repository with real arguments and then check which indexes were used.
 */
export class ExplainingGateway extends ReadOnlyGateway {
  readonly plans = new Map<string, PlanNode>();

  constructor(config: AppConfig) {
    super(config, Metrics.detached());
  }

  static forUrl(url: string): ExplainingGateway {
    return new ExplainingGateway(loadConfig({ DB_URL: url }));
  }

  override async rows<R extends QueryResultRow, P extends string>(query: SqlQuery<P>, args: Readonly<Record<P, unknown>>): Promise<R[]> {
    const values = query.params.map((param) => args[param] ?? null);
    // The statement is one of the app's fixed queries; only the EXPLAIN prefix is added.
    // eslint-disable-next-line squad/no-sql-interpolation
    const explained = await this.pool.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>('EXPLAIN (FORMAT JSON) ' + query.text, values);
    this.plans.set(query.name, explained.rows[0]!['QUERY PLAN'][0]!.Plan);
    return super.rows(query, args);
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
