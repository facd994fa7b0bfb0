import type { Role } from '../common/context/request-context';
import type { TokenSettings } from '../config/app-config';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** What a refused bearer credential did wrong, in RFC 6750's words; absent when none was sent. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * The OAuth scope that grants each role: a token's `scope` (or roles claim) word is the role's
 * name. `admin` includes `service`, so one scope always suffices for a route.
 */
const SCOPE_OF_ROLE: Readonly<Record<Role, string>> = { service: 'service', admin: 'admin' };

/** The RFC 9728 document: where tokens for this server come from and how to present them. */
export interface ProtectedResourceDocument {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
}

/**
 * This server as an OAuth protected resource (RFC 9728): its metadata document, served at the
 * well-known path with the resource's own path appended (`/.well-known/oauth-protected-resource/mcp`
 * for `https://host/mcp`), and the `WWW-Authenticate` challenge that points clients to it.
 */
export class ProtectedResourceMetadata {
  /** The absolute URL of the metadata document. */
  readonly url: string;
  /** The path suffix after METADATA_PATH under which the document is served ('' for a resource at the root). */
  readonly pathSuffix: string;

  constructor(private readonly settings: Pick<TokenSettings, 'resourceUrl' | 'issuer'>) {
    const resource = new URL(settings.resourceUrl);
    this.pathSuffix = resource.pathname === '/' ? '' : resource.pathname.replace(/\/+$/, '');
    this.url = `${resource.origin}${METADATA_PATH}${this.pathSuffix}`;
  }

  document(): ProtectedResourceDocument {
    return {
      resource: this.settings.resourceUrl,
      authorization_servers: [this.settings.issuer],
      scopes_supported: Object.values(SCOPE_OF_ROLE),
      bearer_methods_supported: ['header'],
      resource_name: 'squad-mcp',
    };
  }

  /**
   * The challenge of a refusal of a route that needs `role`: it names the scope that role takes
   * (MCP's scope selection reads it, on a 401 as on a 403 `insufficient_scope`), and where the
   * metadata is.
   */
  challenge(error: BearerError | undefined, role: Role): string {
    const parts = [...(error === undefined ? [] : [`error="${error}"`]), `scope="${SCOPE_OF_ROLE[role]}"`, `resource_metadata="${this.url}"`];
    return `Bearer ${parts.join(', ')}`;
  }
}
