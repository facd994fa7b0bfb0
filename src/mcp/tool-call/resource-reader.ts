import type { Resource } from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';

import type { Role } from '../../common/context/request-context';
import type { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { RESOURCE_MIME_TYPE, ResourceCatalog } from '../catalog/resource-catalog';
import type { ToolSurface } from './tool-call';
import { ToolPipeline } from './tool-pipeline';

/** A read: the tool's answer, a URI that names nothing, or the tool's failure. */
export type ResourceRead =
  | { readonly kind: 'read'; readonly output: object; readonly json: string }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'failed'; readonly error: AppError };

/** A tool failure that means the URI names nothing: an unknown id, or a variable no id can be. */
const MISSING_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCode.NotFound, ErrorCode.InvalidInput]);

/** An item of a list resource: its id under the template's variable name (`document_id`) or as `id`, and what names it. */
type ListedItem = Readonly<Record<string, number | string | undefined>> & { readonly id?: number; readonly name?: string; readonly title?: string };

/**
 * Reads and lists resources by running their tools through the tool-call pipeline, so a read is a
 * tool call in every respect (validation, roles, rate limit, cache, span, logs, metrics, audit),
 * whichever surface asked.
 */
@Injectable()
export class ResourceReader {
  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly pipeline: ToolPipeline,
  ) {}

  async read(uri: string, surface: ToolSurface): Promise<ResourceRead> {
    const resolved = this.catalog.resolve(uri);
    if (resolved === undefined) {
      return { kind: 'missing', message: 'No resource has this URI' };
    }
    const outcome = await this.pipeline.run(resolved.tool, resolved.arguments, { surface, origin: 'resources/read' });
    if (outcome.ok) {
      return { kind: 'read', output: outcome.output, json: outcome.json ?? JSON.stringify(outcome.output) };
    }
    if (MISSING_CODES.has(outcome.error.code)) {
      return { kind: 'missing', message: outcome.error.code === ErrorCode.NotFound ? outcome.error.message : 'No resource has this URI' };
    }
    return { kind: 'failed', error: outcome.error };
  }

  /** Every listable resource: the fixed ones, then the items of each list resource; one tool call of the budget however many it runs. */
  async list(roles: readonly Role[]): Promise<Resource[]> {
    const listed = this.catalog.fixed(roles);
    let units: 0 | 1 = 1;
    for (const { tool, arguments: args, template } of this.catalog.itemLists(roles)) {
      const outcome = await this.pipeline.run(tool, args, { surface: 'mcp', origin: 'resources/list', units });
      units = 0;
      if (!outcome.ok) {
        throw outcome.error;
      }
      const [variable = ''] = template.variableNames;
      for (const item of (outcome.output as { items: ListedItem[] }).items) {
        const uri = template.expand({ [variable]: String(item[variable] ?? item.id) });
        listed.push({ uri, name: item.name ?? item.title ?? uri, mimeType: RESOURCE_MIME_TYPE });
      }
    }
    return listed;
  }
}
