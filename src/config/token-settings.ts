import type { Environment, TokenSettings } from './app-config';
import type { EnvReader } from './env-reader';

/** Signature algorithms a token may use: public-key ones only, so no key of ours can be a shared secret. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const WEB = ['http:', 'https:'];
// Set without an issuer, these say tokens were meant to be on; the tunables keep their defaults quietly.
const TOKEN_ONLY_VARIABLES = ['AUTH_AUDIENCE', 'AUTH_RESOURCE_URL'];
const CLAIM_NAME = /^[\x21-\x7e]{1,256}$/;

function isWebUrl(value: string): boolean {
  try {
    return WEB.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function claimName(read: EnvReader, name: string, fallback: string): string {
  const value = read.text(name) ?? fallback;
  if (!CLAIM_NAME.test(value)) {
    read.problems.push(`${name}: must be a claim name of visible characters without spaces`);
  }
  return value;
}

function algorithms(read: EnvReader): string[] {
  const listed = read.list('AUTH_ALGORITHMS');
  const refused = listed.filter((algorithm) => !ASYMMETRIC_ALGORITHMS.includes(algorithm));
  if (refused.length > 0) {
    read.problems.push(`AUTH_ALGORITHMS: only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}) are accepted, got ${refused.join(', ')}`);
  }
  return listed.length === 0 ? [...ASYMMETRIC_ALGORITHMS] : listed;
}

/**
 * The token settings, or undefined when neither AUTH_JWKS_URL nor AUTH_ISSUER is set (keys only).
 * Problems go to the reader, one line per variable.
 */
export function readTokenSettings(read: EnvReader, environment: Environment): TokenSettings | undefined {
  const jwksUrl = read.url('AUTH_JWKS_URL', WEB);
  const issuer = read.url('AUTH_ISSUER', WEB);
  if (jwksUrl === undefined && issuer === undefined) {
    for (const name of TOKEN_ONLY_VARIABLES.filter((variable) => read.text(variable) !== undefined)) {
      read.problems.push(`${name}: has no effect without AUTH_JWKS_URL or AUTH_ISSUER`);
    }
    return undefined;
  }
  const audience = read.text('AUTH_AUDIENCE');
  const resourceUrl = read.url('AUTH_RESOURCE_URL', WEB) ?? (audience !== undefined && isWebUrl(audience) ? audience : undefined);
  if (issuer === undefined) {
    read.problems.push('AUTH_ISSUER: required with AUTH_JWKS_URL (every token is checked against its issuer)');
  }
  if (audience === undefined) {
    read.problems.push("AUTH_AUDIENCE: required when tokens are accepted (this server's resource identifier; tokens for others are refused)");
  }
  if (audience !== undefined && resourceUrl === undefined && read.text('AUTH_RESOURCE_URL') === undefined) {
    read.problems.push("AUTH_RESOURCE_URL: required when AUTH_AUDIENCE is not an http(s) URL (this server's public URL, e.g. https://squad-mcp.example.com/mcp)");
  }
  if (environment === 'production') {
    for (const [name, value] of [['AUTH_JWKS_URL', jwksUrl], ['AUTH_ISSUER', issuer]] as const) {
      if (value !== undefined && new URL(value).protocol !== 'https:') {
        read.problems.push(`${name}: must use https: when ENVIRONMENT=production`);
      }
    }
  }
  return {
    jwksUrl,
    issuer: issuer ?? '',
    audience: audience ?? '',
    resourceUrl: resourceUrl ?? '',
    rolesClaim: claimName(read, 'AUTH_ROLES_CLAIM', 'roles'),
    userClaim: claimName(read, 'AUTH_USER_CLAIM', 'sub'),
    clockSkewSeconds: read.int('AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
    algorithms: algorithms(read),
    jwksMaxAgeMs: read.seconds('AUTH_JWKS_MAX_AGE_SECONDS', 600, 1, 86_400),
    jwksCooldownMs: read.seconds('AUTH_JWKS_COOLDOWN_SECONDS', 5, 0, 3600),
    fetchTimeoutMs: read.seconds('AUTH_FETCH_TIMEOUT_SECONDS', 5, 0.01, 60),
  };
}
