'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { sum, average, median } = require('../src/stats');

test('sum adds numbers', () => {
  assert.strictEqual(sum([1, 2, 3]), 6);
});

test('average of an empty list is 0', () => {
  assert.strictEqual(average([]), 0);
});

test('median of an even-length list averages the middle values', () => {
  assert.strictEqual(median([4, 1, 3, 2]), 2.5);
});
