import type { Resource, ResourceTemplateType } from '@modelcontextprotocol/server';
import { UriTemplate } from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';

import type { Role } from '../../common/context/request-context';
import type { ToolResource } from './mcp-tool.decorator';
import { isRestricted, mayCall, type ToolDefinition } from './tool-definition';
import { ToolRegistry } from './tool-registry';

export const RESOURCE_MIME_TYPE = 'application/json';

/** A tool that also answers as a resource, with its URI parsed once. */
interface ResourceBinding {
  readonly tool: ToolDefinition;
  readonly resource: ToolResource;
  /** Set for a template URI (one with `{variables}`). */
  readonly template: UriTemplate | undefined;
}

/** What reading a URI means: which tool to run with which arguments. */
export interface ResolvedResource {
  readonly tool: ToolDefinition;
  readonly arguments: Record<string, unknown>;
}

const DIGITS = /^[0-9]{1,15}$/;

/**
 * The resources the catalog's tools declare: fixed URIs for `resources/list`, templates for
 * `resources/templates/list`, and the resolution of a URI to its tool call for `resources/read`.
 */
@Injectable()
export class ResourceCatalog {
  private bindings: readonly ResourceBinding[] | undefined;

  constructor(private readonly registry: ToolRegistry) {}

  /** The fixed-URI resources the roles may read, in catalog order. */
  fixed(roles: readonly Role[]): Resource[] {
    return this.readableBy(roles)
      .filter((binding) => binding.template === undefined)
      .map(({ resource }) => ({ uri: resource.uri, name: resource.name, title: resource.title, description: resource.description, mimeType: RESOURCE_MIME_TYPE }));
  }

  /** The templates of the resources the roles may read. */
  templates(roles: readonly Role[]): ResourceTemplateType[] {
    return this.readableBy(roles)
      .filter((binding) => binding.template !== undefined)
      .map(({ resource }) => ({
        uriTemplate: resource.uri,
        name: resource.name,
        title: resource.title,
        description: resource.description,
        mimeType: RESOURCE_MIME_TYPE,
      }));
  }

  /** The list resources whose items are listed one by one, with the template each item fills. */
  itemLists(roles: readonly Role[]): { tool: ToolDefinition; arguments: Record<string, unknown>; template: UriTemplate }[] {
    return this.readableBy(roles).flatMap(({ tool, resource }) =>
      resource.items === undefined ? [] : [{ tool, arguments: { ...resource.arguments }, template: new UriTemplate(resource.items) }],
    );
  }

  /** Whether some resource is readable by some roles only, so its listings vary by caller. */
  variesByRole(): boolean {
    return this.all().some(({ tool }) => isRestricted(tool));
  }

  /** A resource is listed to the callers who may call its tool (a read by anyone else is refused). */
  private readableBy(roles: readonly Role[]): readonly ResourceBinding[] {
    return this.all().filter(({ tool }) => mayCall(tool, roles));
  }

  /** The tool call a URI stands for; undefined when no resource has that URI. */
  resolve(uri: string): ResolvedResource | undefined {
    for (const binding of this.all()) {
      const variables = binding.template === undefined ? (binding.resource.uri === uri ? {} : null) : binding.template.match(uri);
      if (variables !== null) {
        return { tool: binding.tool, arguments: { ...this.typed(binding.tool, variables), ...binding.resource.arguments } };
      }
    }
    return undefined;
  }

  /** Turns a template's string variables into the argument types the tool's input schema declares. */
  private typed(tool: ToolDefinition, variables: Record<string, string | string[]>): Record<string, unknown> {
    const properties = (this.registry.schemasOf(tool.name).input.properties ?? {}) as Record<string, { type?: unknown }>;
    return Object.fromEntries(
      Object.entries(variables).map(([name, value]) => {
        const numeric = properties[name]?.type === 'integer' && typeof value === 'string' && DIGITS.test(value);
        return [name, numeric ? Number(value) : value];
      }),
    );
  }

  private all(): readonly ResourceBinding[] {
    this.bindings ??= this.registry.list().flatMap((tool) =>
      tool.resource === undefined
        ? []
        : [{ tool, resource: tool.resource, template: tool.resource.uri.includes('{') ? new UriTemplate(tool.resource.uri) : undefined }],
    );
    return this.bindings;
  }
}
