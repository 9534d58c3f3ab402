import { describe, expect, it } from 'vitest';
import { isModelError, ModelError } from '../../../../src/core/model/errors';

describe('ModelError', () => {
  it('is recognised across separately bundled copies of the class', () => {
    // What a protocol adapter bundled into its own file throws: another class with the same mark.
    const MARK = Symbol.for('agent-harness.ModelError');
    class OtherCopy extends Error {
      readonly [MARK] = true;
      readonly kind = 'rate_limited';
    }
    const foreign = new OtherCopy('slow down');
    expect(isModelError(foreign)).toBe(true);
    expect(foreign instanceof ModelError).toBe(true);
    expect(new Error('plain') instanceof ModelError).toBe(false);
    expect(isModelError({ kind: 'auth' })).toBe(false);
    expect(new ModelError({ kind: 'auth', message: 'no' }) instanceof ModelError).toBe(true);
  });
});
