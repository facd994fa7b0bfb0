import type { ListResourcesResult, ListResourceTemplatesResult, ReadResourceResult } from '@modelcontextprotocol/server';
import { Injectable } from '@nestjs/common';

import { currentRequestContext, type Role } from '../../common/context/request-context';
import { RESOURCE_MIME_TYPE, ResourceCatalog } from '../catalog/resource-catalog';
import { ResourceReader } from '../tool-call/resource-reader';
import { invalidParams, resourceNotFound, toProtocolError } from './mcp-answers';

export const RESOURCE_PAGE_SIZE = 25;

const CURSOR = /^[0-9]{1,9}$/;

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) {
    return 0;
  }
  const offset = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR.test(offset)) {
    throw invalidParams('Invalid cursor: pass back a nextCursor unchanged');
  }
  return Number(offset);
}

const encodeCursor = (offset: number): string => Buffer.from(String(offset), 'utf8').toString('base64url');

/** The MCP resource requests: listing (in pages, by cursor), templates, and reads. */
@Injectable()
export class ResourceHandlers {
  constructor(
    private readonly catalog: ResourceCatalog,
    private readonly reader: ResourceReader,
  ) {}

  async list(cursor: string | undefined): Promise<ListResourcesResult> {
    const offset = decodeCursor(cursor);
    let resources;
    try {
      resources = await this.reader.list(currentRequestContext()?.roles ?? []);
    } catch (error) {
      throw toProtocolError(error);
    }
    const next = offset + RESOURCE_PAGE_SIZE;
    const page = resources.slice(offset, next);
    return next < resources.length ? { resources: page, nextCursor: encodeCursor(next) } : { resources: page };
  }

  templates(roles: readonly Role[]): ListResourceTemplatesResult {
    return { resourceTemplates: this.catalog.templates(roles) };
  }

  async read(uri: string): Promise<ReadResourceResult> {
    const read = await this.reader.read(uri, 'mcp');
    switch (read.kind) {
      case 'read':
        return { contents: [{ uri, mimeType: RESOURCE_MIME_TYPE, text: read.json }] };
      case 'missing':
        throw resourceNotFound(uri, read.message);
      case 'failed':
        throw toProtocolError(read.error);
    }
  }
}
