import type { Role } from '../common/context/request-context';
import { asPlayerId } from './player-id';

/** Who a verified token speaks for, in the terms the rest of the service uses for keys. */
export interface TokenIdentity {
  /** The OAuth client the token was issued to (`azp`, else `client_id`, else `sub`). */
  readonly clientId: string;
  /** The roles granted by the roles claim and `scope`; empty when the token grants none of ours. */
  readonly roles: readonly Role[];
  /** The end user's player id, when the user claim holds one. */
  readonly userId: string | undefined;
}

export interface ClaimNames {
  readonly rolesClaim: string;
  readonly userClaim: string;
}

const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

/** A claim holding a list of words, or one string of space-separated words (the `scope` style). */
function wordsOf(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split(' ').filter((word) => word !== '');
  }
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function rolesOf(words: readonly string[]): Role[] {
  if (words.includes('admin')) {
    return ['service', 'admin'];
  }
  return words.includes('service') ? ['service'] : [];
}

function clientIdOf(claims: Readonly<Record<string, unknown>>): string | undefined {
  for (const name of ['azp', 'client_id', 'sub']) {
    const value = claims[name];
    if (typeof value === 'string' && CLIENT_ID.test(value)) {
      return value;
    }
  }
  return undefined;
}

/**
 * Reads a verified token's claims: `admin` (which includes `service`) or `service` from the roles
 * claim or `scope`; the client; the end user when the user claim is a player id. Undefined when the
 * token names no usable client.
 */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, names: ClaimNames): TokenIdentity | undefined {
  const clientId = clientIdOf(claims);
  if (clientId === undefined) {
    return undefined;
  }
  const words = [...wordsOf(claims[names.rolesClaim]), ...wordsOf(claims.scope)];
  return { clientId, roles: rolesOf(words), userId: asPlayerId(claims[names.userClaim]) };
}
