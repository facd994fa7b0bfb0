import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

import { MCP_TOOL_METADATA, type McpToolOptions } from './mcp-tool.decorator';
import { ALL_ROLES, type ToolDefinition, type ToolHandler, type ToolSchemas } from './tool-definition';

const TOOL_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
const SEMVER = /^\d+\.\d+\.\d+$/;

function domainOf(instance: object): string {
  return instance.constructor.name.replace(/Tools$/, '').toLowerCase();
}

/**
 * The catalog of tools, discovered once at start from `@McpTool` provider methods.
 * It is the single source for MCP `tools/list`, the REST mirrors and the OpenAPI document.
 */
@Injectable()
export class ToolRegistry implements OnModuleInit {
  private readonly tools = new Map<string, ToolDefinition>();
  private readonly schemas = new Map<string, ToolSchemas>();
  private discovered = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.discover();
  }

  list(): readonly ToolDefinition[] {
    this.discover();
    return [...this.tools.values()];
  }

  find(name: string): ToolDefinition | undefined {
    this.discover();
    return this.tools.get(name);
  }

  /** Runs once; lazily, so the app can read the catalog after creation and before init. */
  private discover(): void {
    if (this.discovered) {
      return;
    }
    this.discovered = true;
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || wrapper.isAlias) {
        continue;
      }
      const prototype: object | null = Object.getPrototypeOf(instance) as object | null;
      if (prototype === null) {
        continue;
      }
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method: unknown = Reflect.get(instance, methodName);
        if (typeof method !== 'function') {
          continue;
        }
        const options = this.reflector.get<McpToolOptions | undefined>(MCP_TOOL_METADATA, method);
        if (options !== undefined) {
          this.add(options, (method as ToolHandler).bind(instance), domainOf(instance));
        }
      }
    }
  }

  /** Attaches the JSON Schemas derived from the OpenAPI document; called once while the app is configured. */
  bindSchemas(schemasByTool: ReadonlyMap<string, ToolSchemas>): void {
    for (const tool of this.list()) {
      const schemas = schemasByTool.get(tool.name);
      if (schemas === undefined) {
        throw new Error(`No schemas were derived for tool ${tool.name}`);
      }
      this.schemas.set(tool.name, schemas);
    }
  }

  schemasOf(name: string): ToolSchemas {
    const schemas = this.schemas.get(name);
    if (schemas === undefined) {
      throw new Error(`Schemas of tool ${name} are not bound yet`);
    }
    return schemas;
  }

  private add(options: McpToolOptions, handler: ToolHandler, domain: string): void {
    if (!TOOL_NAME.test(options.name)) {
      throw new Error(`Tool name ${options.name} is not verb_noun snake_case`);
    }
    if (!SEMVER.test(options.version)) {
      throw new Error(`Tool ${options.name} has a version that is not semver: ${options.version}`);
    }
    if (typeof options.cache === 'object' && options.cache.sameForEveryUser.trim() === '') {
      throw new Error(`Tool ${options.name} declares its answers the same for every user without saying why`);
    }
    if (this.tools.has(options.name)) {
      throw new Error(`Tool ${options.name} is declared twice`);
    }
    this.tools.set(options.name, {
      ...options,
      annotations: { readOnlyHint: true, idempotentHint: true, ...options.annotations },
      roles: options.roles ?? ALL_ROLES,
      restrictedFields: Object.entries(options.restrictedFields ?? {}),
      handler,
      domain,
    });
  }
}
