import { ProtectedResourceMetadata } from './protected-resource-metadata';

const issuer = 'https://idp.example/realms/squad';

describe('ProtectedResourceMetadata', () => {
  it('inserts the well-known path before the resource path (RFC 9728)', () => {
    const metadata = new ProtectedResourceMetadata({ resourceUrl: 'https://squad.example/mcp', issuer });
    expect(metadata.url).toBe('https://squad.example/.well-known/oauth-protected-resource/mcp');
    expect(metadata.pathSuffix).toBe('/mcp');
  });

  it('uses the bare well-known path for a resource at the root', () => {
    const metadata = new ProtectedResourceMetadata({ resourceUrl: 'https://squad.example:8443/', issuer });
    expect(metadata.url).toBe('https://squad.example:8443/.well-known/oauth-protected-resource');
    expect(metadata.pathSuffix).toBe('');
  });

  it('describes the resource, its issuer, scopes and bearer method', () => {
    expect(new ProtectedResourceMetadata({ resourceUrl: 'https://squad.example/mcp/', issuer }).document()).toEqual({
      resource: 'https://squad.example/mcp/',
      authorization_servers: [issuer],
      scopes_supported: ['service', 'admin'],
      bearer_methods_supported: ['header'],
      resource_name: 'squad-mcp',
    });
  });

  it('builds challenges with and without an error, each naming the scope of the role the route needs', () => {
    const metadata = new ProtectedResourceMetadata({ resourceUrl: 'https://squad.example/mcp', issuer });
    const at = 'resource_metadata="https://squad.example/.well-known/oauth-protected-resource/mcp"';
    expect(metadata.challenge(undefined, 'service')).toBe(`Bearer scope="service", ${at}`);
    expect(metadata.challenge('invalid_token', 'service')).toBe(`Bearer error="invalid_token", scope="service", ${at}`);
    expect(metadata.challenge('insufficient_scope', 'admin')).toBe(`Bearer error="insufficient_scope", scope="admin", ${at}`);
  });

  it('supports exactly the scopes its challenges name', () => {
    const metadata = new ProtectedResourceMetadata({ resourceUrl: 'https://squad.example/mcp', issuer });
    const named = (['service', 'admin'] as const).map((role) => /scope="([^"]+)"/.exec(metadata.challenge(undefined, role))?.[1]);
    expect(metadata.document().scopes_supported).toEqual(named);
  });
});
