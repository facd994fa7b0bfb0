import { readFile } from 'node:fs/promises';

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { parse as parseEnvFile } from 'dotenv';

import { AppError } from '../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ConfigError, loadConfig } from '../config/load-config';
import { ApiKeyStore } from './api-key.store';
import { KeysFileError, readKeyRecords } from './key-records';

/** Where secrets are re-read from: the environment file, over the process environment as it was before it. */
export interface SecretSource {
  readonly envFile: string | undefined;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

export const SECRET_SOURCE = Symbol('SECRET_SOURCE');

const STRONG_KEY_LENGTH = 32;

// The variables a reload takes from the environment file.
const RELOADED_VARIABLES = ['API_KEY_PRIMARY', 'API_KEY_SECONDARY', 'ADMIN_API_KEY', 'API_KEYS_FILE'];

/** The environment file exists but cannot be read (a folder, no permission): nothing is reloaded. */
class EnvFileUnreadableError extends Error {
  constructor(readonly reason: string) {
    super(`environment file: ${reason}`);
  }
}

async function readEnvFile(path: string | undefined): Promise<Record<string, string>> {
  if (path === undefined) {
    return {};
  }
  try {
    return parseEnvFile(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return {};
    }
    throw new EnvFileUnreadableError(code ?? 'unreadable');
  }
}

/** Loads the API keys at start and again on `POST /admin/reload-secrets`, without a restart. */
@Injectable()
export class SecretsService implements OnModuleInit {
  private readonly logger = new Logger('Secrets');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_SOURCE) private readonly source: SecretSource,
    private readonly store: ApiKeyStore,
  ) {}

  async onModuleInit(): Promise<void> {
    this.warnAboutShortKeys();
    this.store.replace(await readKeyRecords(this.config.keys));
  }

  /** A key is only as strong as it is long: 32 random bytes or more is the advice; this names, never shows, a shorter one. */
  private warnAboutShortKeys(): void {
    const { primary, secondary, admin } = this.config.keys;
    const named: [string, string | undefined][] = [['API_KEY_PRIMARY', primary], ['API_KEY_SECONDARY', secondary], ['ADMIN_API_KEY', admin]];
    for (const [variable, key] of named) {
      if (key !== undefined && key.length < STRONG_KEY_LENGTH) {
        this.logger.warn(
          { event: 'weak_api_key', variable, length: key.length },
          `${variable} is shorter than ${STRONG_KEY_LENGTH} characters: use 32 or more random bytes`,
        );
      }
    }
  }

  /** Re-reads the environment file and the keys file; on any problem the current keys stay. */
  async reload(): Promise<{ keys: number }> {
    let records;
    try {
      const env = { ...(await readEnvFile(this.source.envFile)), ...this.source.baseEnv };
      records = await readKeyRecords(loadConfig(env).keys);
    } catch (error) {
      if (error instanceof EnvFileUnreadableError) {
        this.logger.warn({ event: 'secrets_reload_failed', problems: [error.message] }, 'API keys not reloaded');
        throw AppError.invalidInput(
          RELOADED_VARIABLES.map((field) => ({ field, message: `${field} cannot be re-read: the environment file holding it cannot be read` })),
          'The environment file cannot be read; the current keys stay in force',
        );
      }
      if (error instanceof ConfigError || error instanceof KeysFileError) {
        // The problems may quote file paths and content: they go to the log, the answer names only the variables.
        this.logger.warn({ event: 'secrets_reload_failed', problems: error.problems }, 'API keys not reloaded');
        const fields = [...new Set(error.problems.map((problem) => /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0] ?? 'secrets'))];
        throw AppError.invalidInput(
          fields.map((field) => ({ field, message: `${field} is invalid; the server log has the details under this request id` })),
          'The new secrets are invalid; the current keys stay in force',
        );
      }
      throw error;
    }
    // Only tokens may stand in for the keys: without them a reload must not lock every caller out.
    if (records.length === 0 && this.config.tokens === undefined) {
      throw AppError.invalidInput([{ field: 'keys', message: 'no key would remain' }], 'The new secrets hold no key; the current keys stay in force');
    }
    this.store.replace(records);
    this.logger.log({ event: 'secrets_reloaded', keys: records.length }, 'API keys reloaded');
    return { keys: records.length };
  }
}
