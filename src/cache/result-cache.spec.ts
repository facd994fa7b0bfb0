import { stableJson } from './result-cache';

describe(stableJson, () => {
  it('writes equal objects the same way whatever their key order, leaving unset fields out', () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
  });

  it('writes dates and other values the way JSON does', () => {
    expect(stableJson({ at: new Date('2026-01-02T03:04:05Z'), flag: true, text: 'x"y' })).toBe('{"at":"2026-01-02T03:04:05.000Z","flag":true,"text":"x\\"y"}');
    expect(stableJson(undefined)).toBe('null');
  });
});
