import { Injectable } from '@nestjs/common';

import { MAX_PAGE_LIMIT, type Page } from '../../common/dto/pagination';
import { McpTool } from '../../mcp/catalog/mcp-tool.decorator';
import { FieldPage, FieldSummary, GetFieldInput, ListFieldsInput } from './dto/list-fields.dto';
import { ListRegionsInput, RegionPage, type RegionSummary } from './dto/list-regions.dto';
import { FieldsService } from './fields.service';

/** Every user gets the same answers, so they are cached once for all. */
const FIELDS_CACHE = { sameForEveryUser: 'fields and regions are read from the squad database by fixed SQL that never sees the user' } as const;

@Injectable()
export class FieldsTools {
  constructor(private readonly fields: FieldsService) {}

  @McpTool({
    name: 'list_regions',
    title: 'List regions',
    description:
      'Every region with its counts of fields, squads and players. Call it first when a question names a place: ' +
      'list_fields and every region filter take these values (any case). Example: {}.',
    version: '1.0.0',
    cache: FIELDS_CACHE,
    resource: {
      uri: 'squad://regions',
      name: 'regions',
      title: 'Regions',
      description: 'Every region with its counts of fields, squads and players: the values the region filters accept.',
      arguments: { limit: MAX_PAGE_LIMIT },
    },
    input: ListRegionsInput,
    output: RegionPage,
  })
  listRegions(input: ListRegionsInput): Promise<Page<RegionSummary>> {
    return this.fields.listRegions(input);
  }

  @McpTool({
    name: 'get_field',
    title: 'Get a field',
    description:
      'One paintball field: name, city, region, kind. Find the id from a name or place with list_fields. Example: ' +
      '{"field_id": 1}.',
    version: '1.0.0',
    cache: FIELDS_CACHE,
    resource: {
      uri: 'squad://fields/{field_id}',
      name: 'field',
      title: 'Field',
      description: 'One field (id, name, city, region, kind), the same body as get_field.',
    },
    input: GetFieldInput,
    output: FieldSummary,
  })
  getField(input: GetFieldInput): Promise<FieldSummary> {
    return this.fields.getField(input);
  }

  @McpTool({
    name: 'list_fields',
    title: 'List fields',
    description:
      'Paintball fields (name, city, region, kind) by name, in a region (any case) or of a kind. Gives the field_id' +
      ' that list_upcoming_events and list_recent_matches filter by. Example: {"region": "Pacific Northwest", ' +
      '"kind": "woodsball"}.',
    version: '1.0.0',
    cache: FIELDS_CACHE,
    resource: {
      uri: 'squad://fields',
      name: 'fields',
      title: 'Fields',
      description: 'Every field with its id, name, city, region and kind, ordered by name.',
      arguments: { limit: MAX_PAGE_LIMIT },
      items: 'squad://fields/{field_id}',
    },
    input: ListFieldsInput,
    output: FieldPage,
  })
  listFields(input: ListFieldsInput): Promise<Page<FieldSummary>> {
    return this.fields.listFields(input);
  }
}
