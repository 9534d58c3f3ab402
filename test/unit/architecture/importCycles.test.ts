import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

/** Every relative import of every file under src, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(path.join(root, 'src'));
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const target = path.join(path.dirname(f), m[1] ?? m[2]!);
      const found = [`${target}.ts`, path.join(target, 'index.ts')].find((c) => existsSync(c));
      if (found) deps.push(found);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(path.relative(root, w));
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const f of graph.keys()) if (!idx.has(f)) visit(f);
  return out;
}

describe('module structure', () => {
  it('src has no import cycles, type-only and dynamic imports included', () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it('the cycle check sees a planted cycle (lint keeps runtime cycles out too)', async () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([[path.relative(root, 'a.ts'), path.relative(root, 'b.ts'), path.relative(root, 'c.ts')].sort()]);
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintFiles([path.join(root, 'src/cli/main.ts')]);
    expect(result?.messages.filter((m) => m.ruleId === 'import-x/no-cycle')).toEqual([]);
  });
});
