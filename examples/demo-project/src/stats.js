'use strict';

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function average(values) {
  return sum(values) / values.length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

module.exports = { sum, average, median };
