import type { AppConfig } from '../config/app-config';

/** What a refused caller reads on where keys come from: in production, only that an operator issues them. */
export function keyHint(config: AppConfig): string {
  return config.environment === 'production'
    ? "Send Authorization: Bearer <key>, with a key issued by this service's operator."
    : `Send Authorization: Bearer <key>. With no key configured, npm start prints one as export SQUAD_MCP_KEY=… and keeps it in ${config.developmentKeyFile}; ` +
        'a key you configured is the value of API_KEY_PRIMARY (README, "Run it").';
}
