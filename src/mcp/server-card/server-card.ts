import { APP_NAME, APP_VERSION } from '../../app-info';
import { DISCOVERABLE_REVISIONS } from '../protocol/mcp-protocol-check';

export const SERVER_CARD_MEDIA_TYPE = 'application/mcp-server-card+json';
export const SERVER_CARD_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/v2/server-card.schema.json';
/** Where the card says how callers authenticate: the card format has headers, but no word for OAuth. */
export const AUTHENTICATION_META_KEY = 'squad-mcp/authentication';

const TITLE = 'Squad';
const DESCRIPTION = 'Read-only access to Squad paintball players, squads, events, matches and rankings.';
const DNS_NAME = /^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

interface CardHeader {
  readonly name: string;
  readonly description: string;
  readonly isRequired: boolean;
  readonly isSecret?: boolean;
  readonly value?: string;
  readonly variables?: Readonly<Record<string, { readonly description: string; readonly isRequired: boolean; readonly isSecret: boolean }>>;
}

/** The Server Card extension's document, with the fields this server fills in. */
export interface ServerCard {
  readonly $schema: string;
  readonly name: string;
  readonly version: string;
  readonly title: string;
  readonly description: string;
  readonly remotes: readonly {
    readonly type: 'streamable-http';
    readonly url: string;
    readonly headers: readonly CardHeader[];
    readonly supportedProtocolVersions: readonly string[];
  }[];
  readonly _meta: Readonly<Record<string, { readonly schemes: readonly string[]; readonly protected_resource_metadata?: string }>>;
}

const HEADERS: readonly CardHeader[] = [
  {
    name: 'Authorization',
    description: 'An API key, or an access token from the identity provider when tokens are on',
    isRequired: true,
    isSecret: true,
    value: 'Bearer {credential}',
    variables: { credential: { description: 'The API key or access token', isRequired: true, isSecret: true } },
  },
  { name: 'X-User-ID', description: "The end user's player id, when the call is made for one", isRequired: false },
];

/** The card's reverse-DNS name: the endpoint's host name reversed (an address, which has none, reads `local`). */
function nameFor(endpoint: URL): string {
  const host = endpoint.hostname;
  const namespace = DNS_NAME.test(host) ? host.split('.').reverse().join('.') : 'local';
  return `${namespace}/${APP_NAME}`;
}

/**
 * The server card of the MCP endpoint at `endpoint`: identity, version and protocol versions from
 * the same sources `server/discover` answers from, so the two never disagree; authentication by
 * key always, and by OAuth token with its protected-resource metadata when tokens are on.
 */
export function serverCard(endpoint: URL, protectedResourceMetadata: string | undefined): ServerCard {
  return {
    $schema: SERVER_CARD_SCHEMA,
    name: nameFor(endpoint),
    version: APP_VERSION,
    title: TITLE,
    description: DESCRIPTION,
    remotes: [{ type: 'streamable-http', url: endpoint.href, headers: HEADERS, supportedProtocolVersions: DISCOVERABLE_REVISIONS }],
    _meta: {
      [AUTHENTICATION_META_KEY]:
        protectedResourceMetadata === undefined
          ? { schemes: ['api_key'] }
          : { schemes: ['api_key', 'oauth2'], protected_resource_metadata: protectedResourceMetadata },
    },
  };
}
