import { ApiKeyStore } from './api-key.store';
import { sha256Hex } from './key-records';

const SERVICE_KEY = 'service-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdef00';

function storeOf(...keys: [string, string][]): ApiKeyStore {
  const store = new ApiKeyStore();
  store.replace(keys.map(([id, key]) => ({ id, sha256: sha256Hex(key), roles: id === 'admin' ? ['admin', 'service'] : ['service'] })));
  return store;
}

describe('ApiKeyStore', () => {
  it('knows a key by its digest, and no other string', () => {
    const store = storeOf(['primary', SERVICE_KEY], ['admin', ADMIN_KEY]);
    expect(store.identify(SERVICE_KEY)).toEqual({ clientId: 'primary', roles: ['service'], rateLimitRpm: undefined });
    expect(store.identify(ADMIN_KEY)?.clientId).toBe('admin');
    expect(store.identify(`${SERVICE_KEY} `)).toBeUndefined();
    expect(store.identify('')).toBeUndefined();
  });

  it('works out a request key once, however often the request asks', () => {
    const store = storeOf(['primary', SERVICE_KEY]);
    const identify = jest.spyOn(store, 'identify');
    const request = {};
    expect(store.identifyFor(request, SERVICE_KEY)?.clientId).toBe('primary');
    expect(store.identifyFor(request, SERVICE_KEY)?.clientId).toBe('primary');
    expect(identify).toHaveBeenCalledTimes(1);
    // Another request, or another key on the same request, is worked out anew.
    expect(store.identifyFor({}, SERVICE_KEY)?.clientId).toBe('primary');
    expect(store.identifyFor(request, 'not-a-key-of-this-store-00')).toBeUndefined();
    expect(identify).toHaveBeenCalledTimes(3);
  });

  it('forgets what requests were told once the keys are replaced', () => {
    const store = storeOf(['primary', SERVICE_KEY]);
    const request = {};
    expect(store.identifyFor(request, SERVICE_KEY)?.clientId).toBe('primary');
    store.replace([]);
    expect(store.identifyFor(request, SERVICE_KEY)).toBeUndefined();
  });
});
