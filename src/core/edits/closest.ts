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

/** What the search needs from the file: its text and its lines (LineIndex in match.ts provides this). */
export interface LineSource {
  readonly text: string;
  count(): number;
  content(i: number): string;
  lineOf(offset: number): number;
}

const WORD = /[A-Za-z0-9_]+/g;
const MAX_WORD_HITS = 200;

/**
 * Finds the best-scoring window of `oldLines.length` lines. Candidate windows come from cheap
 * signals: where the old string's longest words occur (native indexOf), else lines that equal an old
 * line after folding. Only candidates get the full line-by-line score, so a failed match on a large
 * file costs a few scans, not a comparison of every line with every line.
 */
export function findClosestRegion(file: LineSource, oldLines: readonly string[]): ClosestRegion | undefined {
  const n = file.count();
  const k = Math.min(oldLines.length, n);
  if (n === 0 || k === 0) return undefined;
  const oldKeys = oldLines.slice(0, k).map(punctuationKey);
  const clamp = (start: number): number => Math.max(0, Math.min(n - k, start));
  const votes = new Map<number, number>();
  const vote = (start: number): void => {
    votes.set(clamp(start), (votes.get(clamp(start)) ?? 0) + 1);
  };

  const words: Array<{ word: string; line: number }> = [];
  oldKeys.forEach((line, j) => {
    for (const m of line.matchAll(WORD)) if (m[0].length >= 3) words.push({ word: m[0], line: j });
  });
  words.sort((a, b) => b.word.length - a.word.length || a.line - b.line);
  const seen = new Set<string>();
  for (const w of words) {
    if (seen.size >= 6) break;
    if (seen.has(w.word)) continue;
    seen.add(w.word);
    let hits = 0;
    for (let p = file.text.indexOf(w.word); p !== -1 && hits < MAX_WORD_HITS; p = file.text.indexOf(w.word, p + 1), hits++) vote(file.lineOf(p) - w.line);
  }
  if (votes.size === 0) {
    const positions = new Map<string, number[]>();
    oldKeys.forEach((key, j) => {
      if (key !== '') positions.set(key, [...(positions.get(key) ?? []), j]);
    });
    for (let i = 0; i < n; i++) for (const j of positions.get(punctuationKey(file.content(i))) ?? []) vote(i - j);
  }
  const anchor = oldKeys.findIndex((key) => key !== '');
  if (votes.size === 0 && anchor !== -1) {
    // Nothing shared verbatim: the lines most like the first non-blank old line, by bigram similarity.
    const anchorKey = oldKeys[anchor] as string;
    const near = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const s = lineSimilarity(punctuationKey(file.content(i)), anchorKey);
      if (s > 0) near.set(clamp(i - anchor), Math.max(near.get(clamp(i - anchor)) ?? 0, s));
    }
    for (const start of topStarts(near, MAX_CANDIDATES)) votes.set(start, 1);
  }
  if (votes.size === 0) return undefined;

  let best = -1;
  let bestScore = -1;
  for (const start of topStarts(votes, MAX_CANDIDATES).sort((a, b) => a - b)) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += lineSimilarity(punctuationKey(file.content(start + j)), oldKeys[j] as string);
    const score = sum / k;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  const shown = Array.from({ length: Math.min(k, MAX_EXCERPT_LINES) }, (_, j) => `${best + j + 1}\t${file.content(best + j)}`);
  const excerpt = shown.join('\n') + (k > MAX_EXCERPT_LINES ? '\n…' : '');
  return { startLine: best + 1, endLine: best + k, similarity: Math.round(bestScore * 100) / 100, excerpt };
}

function topStarts(scores: Map<number, number>, limit: number): number[] {
  return [...scores.entries()]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, limit)
    .map(([start]) => start);
}
