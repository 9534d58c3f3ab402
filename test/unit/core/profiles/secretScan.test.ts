import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findSecrets, isSecretKeyName, looksRandom } from '../../../../src/core/profiles/secretScan';

describe('secretScan', () => {
  it('recognises credential field names in any casing but not look-alikes', () => {
    for (const k of ['apiKey', 'api-key', 'API_KEY', 'gatewayToken', 'clientSecret', 'password', 'token', 'privateKey']) expect(isSecretKeyName(k), k).toBe(true);
    for (const k of ['maxTokens', 'tokenBudget', 'description', 'secretary', 'keywords']) expect(isSecretKeyName(k), k).toBe(false);
  });

  it('flags random keys but not hex digests, paths or identifiers', () => {
    let flagged = 0;
    for (let i = 0; i < 50; i++) if (looksRandom(randomBytes(30).toString('base64url'))) flagged++;
    expect(flagged).toBeGreaterThanOrEqual(45);
    expect(looksRandom('3f786850e387550fdab836ed7e6dc881de23001b')).toBe(false);
    expect(looksRandom('src/core/profiles/secretScanHelpersForTests.ts')).toBe(false);
    expect(looksRandom('ThisIsAVeryLongCamelCaseIdentifierName2')).toBe(false);
  });

  it('reports the field path, not the value, and an empty credential field is fine', () => {
    expect(findSecrets({ a: [{ b: 'Bearer abcdefghijklmnopqrstuvwxyz012345' }], token: '' })).toEqual([{ field: 'a.0.b', kind: 'a bearer token' }]);
    expect(findSecrets({ url: 'https://user:hunter2@example.com/x' })).toEqual([{ field: 'url', kind: 'a URL with a password' }]);
  });
});
