import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommandWith } from '../../../../../src/core/policy/command/checkCommand';
import { loadBashParser } from '../../../../../src/core/policy/command/bashParser';
import { WASM_DIRS } from './policyHelpers';

/**
 * Differential test against real shells: for random lines built from tricky words, whenever the
 * policy says `allow`, bash, dash and busybox sh must run exactly the argument vectors the policy
 * judged. The programs are shims that record their argv, so nothing real runs. This is what catches
 * places where the grammar and the shell disagree (it found that words after a redirection target
 * are arguments).
 */
// Names that are neither shell built-ins nor busybox applets, so every shell runs the shim; they have
// no built-in argument rules, so the allowlist allows them with any arguments.
const PROGRAMS = ['shim-a', 'shim_b', 'shimc'];
const WORDS = [
  'a', 'b1', "'a b'", '"a b"', 'a\\ b', '\\$x', '"\\$x"', "'$x'", '\\\\', '"\\\\"', "'\\'", 'a"b"c', '--x=1', 'HEAD~1',
  '@{u}', '{}', 'x=1', '#c', 'a#b', '"a\\"b"', "\\'", '"\'"', '%', '+', 'a,b', '!', '"!"', '-', '--', '\\;', '"a\nb"',
  '\\n', '"\\n"', "'\\n'", '"a\\b"', 'é', '"{a,b}"', "'*'", '\\*', '"~"', '\\~', 'a=~', '"$"', '=', ':', 'a:b', '"\\`"',
  '\\|', '\\&', '"&&"', "';'", '\\#', 'x\\\ny', '"a\\\nb"', '\\(', "')'", '"<"', '\\>', '0', '1', '2', '-1', '^', '.',
  '{', '}', "'{'", '{a}', 'a}', '\t', '"\t"', 'a\\\n', '\\\n-x', "'a'\"b\"", '"a"\'b\'c', '\\\\\\ ', '-\\-pre', '"--"x', '1>', '2>&1x',
];
const JOINERS = [' && ', '; ', ' | ', '\n', ';'];
const REDIRECTS = ['', '', '', ' >/dev/null', ' 2>&1', ' 2>/dev/null', ' </dev/null', ' >/dev/null 2>&1', '>/dev/null', '2>/dev/null', ' 1>&2', ' >>/dev/null'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomLine(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const parts: string[] = [];
  const count = 1 + Math.floor(next() * 3);
  for (let c = 0; c < count; c++) {
    const words = [pick(PROGRAMS)];
    const n = Math.floor(next() * 4);
    for (let i = 0; i < n; i++) words.push(pick(WORDS));
    const redirect = pick(REDIRECTS);
    // A redirection may sit before, between or after the arguments.
    const at = Math.floor(next() * (words.length + 1));
    if (redirect && at > 0) words.splice(at, 0, redirect.trim());
    parts.push(words.join(' ') + (at === 0 ? redirect : ''));
    if (c < count - 1) parts.push(pick(JOINERS));
  }
  return parts.join('');
}

/** Shell syntax mixed into the words, so the grammar meets lines that are odd or invalid. */
const TOKENS = [
  '(', ')', '{', '}', ';', '&', '&&', '||', '|', '!', 'if', 'then', 'fi', 'do', 'done', 'case', 'in', 'esac', 'function',
  'time', 'coproc', '[[', ']]', '((', '))', '<', '>', '<<', '2>&1', '>&-', '#', '\n', ';;', '|&', '&>', 'x=1', '\\\n', '`', '"', "'",
];

function tokenSoup(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const parts = [pick(PROGRAMS)];
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) {
    const r = next();
    parts.push(r < 0.35 ? pick(TOKENS) : r < 0.5 ? pick(PROGRAMS) : pick(WORDS));
  }
  return parts.join(next() < 0.8 ? ' ' : '');
}

/** What the shell runs when every program exits 0: a pipeline after `||` is skipped. */
function expectedRuns(segments: readonly { argv: string[]; joiner?: string }[]): string[] {
  const runs: string[] = [];
  let skipping = false;
  for (const s of segments) {
    if (s.joiner !== '|') skipping = s.joiner === '||';
    if (!skipping) runs.push(s.argv.join('\u001f'));
  }
  return runs.sort();
}

const dir = mkdtempSync(path.join(tmpdir(), 'ah-shim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// One write per record, so the members of a pipeline (which run at the same time) cannot interleave.
const shim = '#!/bin/sh\nr="${0##*/}"\nfor a in "$@"; do r="$r\u001f$a"; done\nprintf "%s\\036" "$r" >> "$SHIM_OUT"\n';
for (const p of PROGRAMS) {
  writeFileSync(path.join(dir, p), shim);
  chmodSync(path.join(dir, p), 0o755);
}

// bash and dash are part of every Debian; busybox sh (the test image's shell) is compared when installed.
const SHELLS = [['bash', '-c'], ['dash', '-c'], ...(existsSync('/usr/bin/busybox') ? [['/usr/bin/busybox', 'sh', '-c']] : [])];

function runIn(shell: string[], line: string): string[] {
  const out = path.join(dir, 'out');
  writeFileSync(out, '');
  const result = spawnSync(shell[0] as string, [...shell.slice(1), line], { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin`, SHIM_OUT: out }, input: '', timeout: 5000 });
  if (result.error) throw result.error;
  return readFileSync(out, 'utf8').split('\u001e').filter(Boolean).sort();
}

/** Runs every line the policy allows in each shell; returns the allowed count and every mismatch. */
async function compareWithShells(lines: Iterable<string>): Promise<{ allowed: number; mismatches: string[] }> {
  const parser = await loadBashParser(WASM_DIRS);
  let allowed = 0;
  const mismatches: string[] = [];
  for (const line of lines) {
    const v = checkCommandWith(parser, line, { mode: 'container', allow: PROGRAMS });
    if (v.verdict !== 'allow') continue;
    allowed++;
    const expected = expectedRuns(v.segments);
    for (const shell of SHELLS) {
      const actual = runIn(shell, line);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${shell.join(' ')} ${JSON.stringify(line)}\n  policy: ${JSON.stringify(expected)}\n  shell:  ${JSON.stringify(actual)}`);
      }
    }
  }
  return { allowed, mismatches };
}

function* generate(count: number, make: () => string): Generator<string> {
  for (let i = 0; i < count; i++) yield make();
}

describe('policy argv matches what real shells run', () => {
  it('for 300 random allowed lines, in bash, dash and busybox sh', async () => {
    const next = rng(20261121);
    const { allowed, mismatches } = await compareWithShells(generate(300, () => randomLine(next)));
    expect(mismatches).toEqual([]);
    // The corpus must exercise the allow path, or the comparison proves nothing.
    expect(allowed).toBeGreaterThan(100);
  }, 120_000);

  it('for 400 lines of random shell syntax, whatever the policy allows runs as judged', async () => {
    const next = rng(4242);
    const { allowed, mismatches } = await compareWithShells(generate(400, () => tokenSoup(next)));
    expect(mismatches).toEqual([]);
    expect(allowed).toBeGreaterThan(20);
  }, 120_000);
});
