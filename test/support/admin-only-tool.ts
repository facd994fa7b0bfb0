import { Injectable, Module } from '@nestjs/common';

import { FieldSummary, GetFieldInput } from '../../src/domains/fields/dto/list-fields.dto';
import { FieldsModule } from '../../src/domains/fields/fields.module';
import { FieldsService } from '../../src/domains/fields/fields.service';
import { McpTool } from '../../src/mcp/catalog/mcp-tool.decorator';

export const ADMIN_ONLY_TOOL = 'inspect_field';
export const ADMIN_ONLY_RESOURCE = 'squad://inspected-fields/{field_id}';

/** A tool only administrators may call, which no production module declares. */
@Injectable()
class AdminOnlyTools {
  constructor(private readonly fields: FieldsService) {}

  @McpTool({
    name: ADMIN_ONLY_TOOL,
    title: 'Inspect a field',
    description: 'Returns one field, for administrators only. Example: {"field_id": 1}.',
    version: '1.0.0',
    roles: ['admin'],
    resource: { uri: ADMIN_ONLY_RESOURCE, name: 'inspected_field', title: 'Inspected field', description: 'One field, for administrators only.' },
    input: GetFieldInput,
    output: FieldSummary,
  })
  inspectField(input: GetFieldInput): Promise<FieldSummary> {
    return this.fields.getField(input);
  }
}

@Module({ imports: [FieldsModule], providers: [AdminOnlyTools] })
export class AdminOnlyToolModule {}
