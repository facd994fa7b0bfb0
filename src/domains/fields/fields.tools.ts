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
      'Lists every region with its number of fields, squads and players, ordered by name. Call it first whenever a ' +
      'question names a place: the region values it returns are the ones the region filters of the other tools accept ' +
      '(case-insensitively). All regions fit on the first page. Example: {}.',
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
      "Returns one paintball field: name, city, region and kind. Use it when you already know the field id (events " +
      'and matches carry one); to find an id from a name or a place, use list_fields. Example: {"field_id": 1}.',
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
      'Lists paintball fields with their id, name, city, region and kind, ordered by name, then id; optionally only ' +
      'one region (case-insensitive) or one kind. Use it to turn a field name or a place into the field_id that ' +
      'list_upcoming_events and list_recent_matches filter by. Example: {"region": "Pacific Northwest", "kind": "woodsball"}.',
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
