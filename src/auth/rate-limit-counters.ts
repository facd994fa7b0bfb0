import { createHash } from 'node:crypto';

/**
 * The names of the rate-limit counters, one namespace per kind, so that no value of one kind can
 * name a counter of another: an API key's id (`key:`, ours, from the configuration), a token
 * client (`token:`, the SHA-256 of what the issuer put in `azp`, `client_id` or `sub`), and a
 * client address (`address:`, percent-encoded) for refused authentications.
 */
export function callerCounter(via: 'key' | 'token', clientId: string): string {
  return via === 'key' ? `key:${clientId}` : `token:${createHash('sha256').update(clientId, 'utf8').digest('hex')}`;
}

export function addressCounter(address: string): string {
  return `address:${encodeURIComponent(address)}`;
}
