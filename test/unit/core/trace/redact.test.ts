import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../../src/core/trace/redact';

describe('createRedactor', () => {
  const key = 'gw-7f3a9c2e1b4d8f60';
  const redact = createRedactor([key, 'abc', undefined]);

  it('replaces the configured key wherever it appears, deep in objects and arrays', () => {
    const input = { a: `the key ${key} leaked`, nested: [{ b: key }, 3, null], n: 1 };
    const out = redact(input);
    expect(JSON.stringify(out)).not.toContain(key);
    expect(out.a).toBe(`the key ${REDACTED} leaked`);
    expect(out.nested[1]).toBe(3);
    expect(input.a).toContain(key);
  });

  it('blanks values of credential-carrying fields whatever they look like', () => {
    const out = redact({ headers: { Authorization: 'Basic dXNlcjpw', 'x-api-key': 'short', 'x-team': 'web' }, api_key: 'k', password: 'hunter2' });
    expect(out).toEqual({ headers: { Authorization: REDACTED, 'x-api-key': REDACTED, 'x-team': 'web' }, api_key: REDACTED, password: REDACTED });
  });

  it.each([
    'sk-proj-AbCdEfGhIjKlMnOpQrStUv123',
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrSt',
    'Bearer abcdefghijklmnop',
    'AKIAABCDEFGHIJKLMNOP',
    'ghp_abcdefghijklmnopqrstuvwxyz0123',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ])('redacts text shaped like a key: %s', (secret) => {
    expect(redact.text(`use ${secret} here`)).toBe(`use ${REDACTED} here`);
  });

  it('does not match very short secrets verbatim, and leaves ordinary text alone', () => {
    expect(redact.text('abc task-list skeleton')).toBe('abc task-list skeleton');
  });

  it('reduces an Error to its redacted message', () => {
    expect(redact({ e: new Error(`bad key ${key}`) })).toEqual({ e: { name: 'Error', message: `bad key ${REDACTED}` } });
  });
});
