import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { RequireRole } from './roles.decorator';
import { SecretsService } from './secrets.service';

@ApiExcludeController()
@RequireRole('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly secrets: SecretsService) {}

  /** Re-reads the environment file and API_KEYS_FILE; revoked keys are refused from the next request. */
  @Post('reload-secrets')
  @HttpCode(200)
  async reloadSecrets(): Promise<{ status: 'reloaded'; keys: number }> {
    const { keys } = await this.secrets.reload();
    return { status: 'reloaded', keys };
  }
}
