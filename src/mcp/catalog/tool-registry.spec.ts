import { Injectable, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';

import { IdField } from '../../common/dto/fields';
import { McpTool } from './mcp-tool.decorator';
import { ToolRegistry } from './tool-registry';

class EchoInput {
  @IdField({ description: 'An id', example: 1 })
  id!: number;
}

function toolsClass(...tools: { name: string; version?: string; cache?: true | { sameForEveryUser: string } }[]): Type {
  @Injectable()
  class SampleTools {}
  for (const [index, tool] of tools.entries()) {
    const method = `tool${index}`;
    Object.defineProperty(SampleTools.prototype, method, {
      value: function (input: EchoInput) {
        return Promise.resolve({ echoed: input.id, by: this === undefined ? 'nobody' : 'instance' });
      },
    });
    const descriptor = Object.getOwnPropertyDescriptor(SampleTools.prototype, method)!;
    McpTool({
      name: tool.name,
      title: 'Echo',
      description: 'Echoes the id',
      version: tool.version ?? '1.0.0',
      input: EchoInput,
      output: EchoInput,
      roles: ['admin'],
      ...(tool.cache === undefined ? {} : { cache: tool.cache }),
    })(SampleTools.prototype, method, descriptor);
  }
  return SampleTools;
}

async function registryWith(provider: Type): Promise<ToolRegistry> {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [ToolRegistry, provider] }).compile();
  return moduleRef.get(ToolRegistry);
}

describe('ToolRegistry', () => {
  it('discovers decorated methods with their declaration, domain and bound handler', async () => {
    const registry = await registryWith(toolsClass({ name: 'echo_id' }));
    const [tool] = registry.list();
    expect(tool).toMatchObject({
      name: 'echo_id',
      domain: 'sample',
      roles: ['admin'],
      annotations: { readOnlyHint: true, idempotentHint: true },
    });
    await expect(tool!.handler({ id: 4 }, { clientId: 'c', roles: [], userId: undefined, signal: new AbortController().signal })).resolves.toEqual({
      echoed: 4,
      by: 'instance',
    });
    expect(registry.find('echo_id')).toBe(tool);
    expect(registry.find('nope')).toBeUndefined();
  });

  it.each([
    [{ name: 'EchoId' }, 'Tool name EchoId is not verb_noun snake_case'],
    [{ name: 'echo' }, 'Tool name echo is not verb_noun snake_case'],
    [{ name: 'echo_id', version: 'v1' }, 'Tool echo_id has a version that is not semver: v1'],
    [{ name: 'echo_id', cache: { sameForEveryUser: ' ' } }, 'Tool echo_id declares its answers the same for every user without saying why'],
  ])('refuses a malformed declaration %j', async (declaration, message) => {
    const registry = await registryWith(toolsClass(declaration));
    expect(() => registry.list()).toThrow(message);
  });

  it('refuses two tools with one name', async () => {
    const registry = await registryWith(toolsClass({ name: 'echo_id' }, { name: 'echo_id' }));
    expect(() => registry.onModuleInit()).toThrow('Tool echo_id is declared twice');
  });

  it('hands out schemas only once they are bound, and only for known tools', async () => {
    const registry = await registryWith(toolsClass({ name: 'echo_id' }));
    expect(() => registry.schemasOf('echo_id')).toThrow('Schemas of tool echo_id are not bound yet');
    expect(() => registry.bindSchemas(new Map())).toThrow('No schemas were derived for tool echo_id');
    const schemas = { input: { type: 'object' }, output: { type: 'object' } };
    registry.bindSchemas(new Map([['echo_id', schemas]]));
    expect(registry.schemasOf('echo_id')).toBe(schemas);
  });
});
