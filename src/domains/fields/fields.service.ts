import { Injectable } from '@nestjs/common';

import { type Page, toPage } from '../../common/dto/pagination';
import { AppError } from '../../common/errors/app-error';
import type { FieldSummary, GetFieldInput, ListFieldsInput } from './dto/list-fields.dto';
import type { ListRegionsInput, RegionSummary } from './dto/list-regions.dto';
import { FieldsRepository } from './fields.repository';

@Injectable()
export class FieldsService {
  constructor(private readonly repository: FieldsRepository) {}

  async listRegions(input: ListRegionsInput): Promise<Page<RegionSummary>> {
    const { rows, total } = await this.repository.regions(input.limit, input.offset);
    return toPage(rows, total, input);
  }

  async getField(input: GetFieldInput): Promise<FieldSummary> {
    const field = await this.repository.field(input.field_id);
    if (field === undefined) {
      throw AppError.notFound(`Field ${input.field_id} not found`, "Use list_fields to find a field's id");
    }
    return field;
  }

  async listFields(input: ListFieldsInput): Promise<Page<FieldSummary>> {
    const { rows, total } = await this.repository.fields({ region: input.region ?? null, kind: input.kind ?? null }, input.limit, input.offset);
    return toPage(rows, total, input);
  }
}
