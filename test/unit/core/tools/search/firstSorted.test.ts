import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstSorted, firstSortedBy } from '../../../../../src/core/tools/search/fileLister';

describe('firstSorted', () => {
  it('is the head of the fully sorted list, with the total, for any paths and limit', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (paths, limit) => {
        const sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(firstSorted([...paths], limit)).toEqual({ paths: sorted.slice(0, limit), total: paths.length });
      }),
    );
  });

  it('sorts items by a key the same way', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string({ maxLength: 5 }), n: fc.nat() }), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (items, limit) => {
        const got = firstSortedBy([...items], (i) => i.name, limit);
        expect(got.total).toBe(items.length);
        expect(got.items.map((i) => i.name)).toEqual(items.map((i) => i.name).sort().slice(0, limit));
      }),
    );
  });

  it('returns everything sorted without a limit', () => {
    expect(firstSorted(['b', 'a/c', 'a', 'B'])).toEqual({ paths: ['B', 'a', 'a/c', 'b'], total: 4 });
  });
});
