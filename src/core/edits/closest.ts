import { punctuationKey } from './normalize';

/** The window of the file most like the `old_string` that did not match, for the model's retry. */
export interface ClosestRegion {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Mean line similarity in [0, 1]. */
  similarity: number;
  /** The window's lines, each prefixed with its line number and a tab. */
  excerpt: string;
}

const MAX_EXCERPT_LINES = 40;
const MAX_CANDIDATES = 12;

/** Dice coefficient over character bigrams; 1 for equal strings, 0 for nothing in common. */
export function lineSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const c = counts.get(g);
    if (c) {
      common++;
      counts.set(g, c - 1);
    }
  }
  return (2 * common) / (a.length - 1 + b.length - 1);
}

function topStarts(scores: Map<number, number>, limit: number): number[] {
  return [...scores.entries()]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, limit)
    .map(([start]) => start);
}

/**
 * Finds the best-scoring window of `oldLines.length` lines. Candidate windows come from two cheap
 * signals (lines that match exactly after folding vote for the window they imply; the first
 * non-blank line's nearest look-alikes), and only those candidates get the full line-by-line score,
 * so the cost stays linear in the file size.
 */
export function findClosestRegion(fileLines: readonly string[], oldLines: readonly string[]): ClosestRegion | undefined {
  const n = fileLines.length;
  const k = Math.min(oldLines.length, n);
  if (n === 0 || k === 0) return undefined;
  const fileKeys = fileLines.map(punctuationKey);
  const oldKeys = oldLines.slice(0, k).map(punctuationKey);
  const clamp = (start: number): number => Math.max(0, Math.min(n - k, start));

  const votes = new Map<number, number>();
  const positions = new Map<string, number[]>();
  oldKeys.forEach((key, j) => {
    if (key === '') return;
    const list = positions.get(key);
    if (list) list.push(j);
    else positions.set(key, [j]);
  });
  fileKeys.forEach((key, i) => {
    for (const j of positions.get(key) ?? []) {
      const start = clamp(i - j);
      votes.set(start, (votes.get(start) ?? 0) + 1);
    }
  });

  const candidates = new Set(topStarts(votes, MAX_CANDIDATES));
  const anchor = oldKeys.findIndex((key) => key !== '');
  if (anchor !== -1) {
    const anchorKey = oldKeys[anchor] as string;
    const near = new Map<number, number>();
    fileKeys.forEach((key, i) => {
      if (Math.abs(key.length - anchorKey.length) > anchorKey.length) return;
      const s = lineSimilarity(key, anchorKey);
      if (s > 0) near.set(clamp(i - anchor), Math.max(near.get(clamp(i - anchor)) ?? 0, s));
    });
    for (const start of topStarts(near, MAX_CANDIDATES / 2)) candidates.add(start);
  }
  if (candidates.size === 0) return undefined;

  let best = -1;
  let bestScore = -1;
  for (const start of [...candidates].sort((a, b) => a - b)) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += lineSimilarity(fileKeys[start + j] as string, oldKeys[j] as string);
    const score = sum / k;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  const shown = fileLines.slice(best, best + Math.min(k, MAX_EXCERPT_LINES));
  const excerpt = shown.map((line, j) => `${best + j + 1}\t${line}`).join('\n') + (k > MAX_EXCERPT_LINES ? '\n…' : '');
  return { startLine: best + 1, endLine: best + k, similarity: Math.round(bestScore * 100) / 100, excerpt };
}
