import { asPlayerId } from './player-id';
import { identityFromClaims } from './token-claims';

const names = { rolesClaim: 'roles', userClaim: 'sub' };

describe('asPlayerId', () => {
  it.each([
    ['42', '42'],
    [42, '42'],
    ['2147483647', '2147483647'],
  ])('accepts %j as player %s', (value, expected) => {
    expect(asPlayerId(value)).toBe(expected);
  });

  it.each([undefined, null, '', '0', '-1', '007', '4.2', 4.2, '2147483648', 2_147_483_648, '١٢', ' 42', 'abc', true, [42], { id: 42 }])(
    'refuses %j',
    (value) => {
      expect(asPlayerId(value)).toBeUndefined();
    },
  );
});

describe('identityFromClaims', () => {
  it('maps roles from a list and names the client by azp and the user by sub', () => {
    expect(identityFromClaims({ azp: 'mobile', client_id: 'ignored', sub: '17', roles: ['service'] }, names)).toEqual({
      clientId: 'mobile',
      roles: ['service'],
      userId: '17',
    });
  });

  it('reads roles from space-separated words, in the roles claim or in scope, admin including service', () => {
    expect(identityFromClaims({ client_id: 'c', roles: 'reader  admin' }, names)?.roles).toEqual(['service', 'admin']);
    expect(identityFromClaims({ client_id: 'c', scope: 'openid service' }, names)?.roles).toEqual(['service']);
    expect(identityFromClaims({ client_id: 'c', roles: ['reader', 7, null], scope: 'openid' }, names)?.roles).toEqual([]);
    expect(identityFromClaims({ client_id: 'c', roles: { admin: true } }, names)?.roles).toEqual([]);
  });

  it('reads the configured claims', () => {
    const identity = identityFromClaims({ sub: 'uuid-1', 'https://squad.example/roles': ['admin'], player_id: 9 }, { rolesClaim: 'https://squad.example/roles', userClaim: 'player_id' });
    expect(identity).toEqual({ clientId: 'uuid-1', roles: ['service', 'admin'], userId: '9' });
  });

  it('falls back from azp to client_id to sub, skipping unusable values', () => {
    expect(identityFromClaims({ azp: '', client_id: 'console', sub: 's' }, names)?.clientId).toBe('console');
    expect(identityFromClaims({ azp: 'with space', client_id: 7, sub: 'svc-1' }, names)?.clientId).toBe('svc-1');
    expect(identityFromClaims({ azp: 'x'.repeat(129), sub: 'svc-2' }, names)?.clientId).toBe('svc-2');
  });

  it('has no identity without a usable client', () => {
    expect(identityFromClaims({ roles: ['service'] }, names)).toBeUndefined();
  });

  it('has no user when the user claim is not a player id', () => {
    expect(identityFromClaims({ azp: 'c', sub: 'auth0|abc' }, names)?.userId).toBeUndefined();
  });
});
