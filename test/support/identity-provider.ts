import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

import { closeServer, listenOnLoopback } from './loopback-server';

/** One signing key of the provider: the private half signs test tokens, the public half is published. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function newSigningKey(kid: string, alg: 'ES256' | 'RS256' | 'EdDSA' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** How the provider answers: normally, with an HTTP error, never, or by dropping the connection. */
export type ProviderBehaviour = 'serve' | 'fail' | 'hang' | 'reset';

/**
 * A stand-in OpenID provider on a real port: `/.well-known/openid-configuration` and `/jwks`,
 * publishing the keys in `published`, and misbehaving on command. Counts the JWKS requests it got.
 */
export class IdentityProvider {
  published: SigningKey[] = [];
  behaviour: ProviderBehaviour = 'serve';
  jwksRequests = 0;
  discoveryRequests = 0;
  private readonly server: Server = createServer((req, res) => {
    this.handle(req, res);
  });
  private baseUrl = '';

  get issuer(): string {
    return this.baseUrl;
  }

  async start(): Promise<this> {
    this.baseUrl = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /**
   * A token signed with `key` (its kid and alg in the header): this issuer, the audience, client
   * `mobile-backend` with the service role, then the given claims over those.
   */
  async sign(key: SigningKey, claims: JWTPayload, options: { audience: string; expiresIn?: string | number }): Promise<string> {
    const jwt = new SignJWT({ iss: this.issuer, aud: options.audience, azp: 'mobile-backend', roles: ['service'], ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuedAt();
    if (options.expiresIn !== undefined) {
      jwt.setExpirationTime(options.expiresIn);
    }
    return jwt.sign(key.privateKey);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const isJwks = req.url === '/jwks';
    if (isJwks) {
      this.jwksRequests += 1;
    } else if (req.url === '/.well-known/openid-configuration') {
      this.discoveryRequests += 1;
    } else {
      res.writeHead(404).end();
      return;
    }
    switch (this.behaviour) {
      case 'hang':
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'fail':
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('down');
        return;
      case 'serve':
        break;
    }
    const body = isJwks
      ? { keys: this.published.map((key) => key.publicJwk) }
      : { issuer: this.issuer, jwks_uri: `${this.issuer}/jwks`, authorization_endpoint: `${this.issuer}/authorize`, token_endpoint: `${this.issuer}/token` };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}
