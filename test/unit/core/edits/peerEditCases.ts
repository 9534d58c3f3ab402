/**
 * Edit cases of the kinds peer agents' own test suites exercise (Cline and Roo Code's search/replace
 * blocks, Continue's find-and-replace, opencode's replacer chain, Aider's edit blocks, Codex's
 * apply_patch line seeking, Gemini CLI's edit corrector, Claude Code's edit tool), written here for
 * this project: each is a file, the model's old and new strings, and the text a careful peer produces,
 * or `refuse` where applying anything could be wrong (two equally good places, text that is not there).
 */
export interface EditCase {
  name: string;
  kind: string;
  file: string;
  old: string;
  new: string;
  replaceAll?: boolean;
  /** Several edits in one call (old/new are then ignored). */
  edits?: { old: string; new: string }[];
  expected: string | 'refuse';
}

const ts = [
  'import { readFile } from "node:fs/promises";',
  '',
  'export async function load(path: string): Promise<string> {',
  '  const text = await readFile(path, "utf8");',
  '  if (!text) {',
  '    throw new Error("empty file");',
  '  }',
  '  return text.trim();',
  '}',
  '',
  'export function add(a: number, b: number): number {',
  '  return a - b;',
  '}',
  '',
].join('\n');

const py = [
  'import os',
  '',
  '',
  'class Config:',
  '    def __init__(self, path):',
  '        self.path = path',
  '        self.values = {}',
  '',
  '    def load(self):',
  '        with open(self.path) as f:',
  '            for line in f:',
  '                key, _, value = line.partition("=")',
  '                self.values[key.strip()] = value.strip()',
  '        return self.values',
  '',
].join('\n');

const go = [
  'package main',
  '',
  'import "fmt"',
  '',
  'func main() {',
  '\tfor i := 0; i < 3; i++ {',
  '\t\tfmt.Println("hello", i)',
  '\t}',
  '}',
  '',
].join('\n');

const crlf = (s: string) => s.replace(/\n/g, '\r\n');
const numbered = (text: string, first: number, style: (n: number, l: string) => string) =>
  text.split('\n').map((l, i) => style(first + i, l)).join('\n');

export const EDIT_CASES: readonly EditCase[] = [
  // ── exact ────────────────────────────────────────────────────────────────
  { name: 'exact single line', kind: 'exact', file: ts, old: '  return a - b;', new: '  return a + b;', expected: ts.replace('a - b', 'a + b') },
  { name: 'exact multi-line block', kind: 'exact', file: ts, old: '  if (!text) {\n    throw new Error("empty file");\n  }', new: '  if (!text) throw new Error("empty file");', expected: ts.replace('  if (!text) {\n    throw new Error("empty file");\n  }', '  if (!text) throw new Error("empty file");') },
  { name: 'exact in python', kind: 'exact', file: py, old: '        self.values = {}', new: '        self.values: dict[str, str] = {}', expected: py.replace('self.values = {}', 'self.values: dict[str, str] = {}') },
  { name: 'exact with tabs (go)', kind: 'exact', file: go, old: '\t\tfmt.Println("hello", i)', new: '\t\tfmt.Println("bye", i)', expected: go.replace('"hello"', '"bye"') },
  { name: 'replace_all', kind: 'exact', file: 'a = 1\nb = a\nc = a\n', old: 'a', new: 'x', replaceAll: true, expected: 'x = 1\nb = x\nc = x\n' },
  { name: 'refuse duplicate without replace_all', kind: 'ambiguous', file: 'log(1)\nlog(1)\n', old: 'log(1)', new: 'log(2)', expected: 'refuse' },
  { name: 'refuse text that is not there', kind: 'absent', file: ts, old: 'export function subtract(a, b) {', new: 'x', expected: 'refuse' },
  { name: 'refuse when only a similar function exists', kind: 'absent', file: ts, old: 'export function multiply(a: number, b: number): number {\n  return a * b;\n}', new: 'x', expected: 'refuse' },

  // ── line-number prefixes copied from read output ─────────────────────────
  { name: 'tab prefixes (read_file, cat -n)', kind: 'line_numbers', file: ts, old: numbered('export function add(a: number, b: number): number {\n  return a - b;\n}', 11, (n, l) => `${n}\t${l}`), new: numbered('export function add(a: number, b: number): number {\n  return a + b;\n}', 11, (n, l) => `${n}\t${l}`), expected: ts.replace('a - b', 'a + b') },
  { name: 'pipe prefixes', kind: 'line_numbers', file: ts, old: numbered('  return a - b;', 12, (n, l) => `${n} | ${l}`), new: numbered('  return a + b;', 12, (n, l) => `${n} | ${l}`), expected: ts.replace('a - b', 'a + b') },
  { name: 'arrow prefixes with alignment', kind: 'line_numbers', file: ts, old: numbered('  if (!text) {\n    throw new Error("empty file");\n  }', 5, (n, l) => `    ${n}→${l}`), new: '  if (!text) {\n    throw new Error("no content");\n  }', expected: ts.replace('"empty file"', '"no content"') },
  { name: 'cat -n style right-aligned', kind: 'line_numbers', file: py, old: numbered('    def load(self):\n        with open(self.path) as f:', 9, (n, l) => `${String(n).padStart(6)}\t${l}`), new: numbered('    def load(self) -> dict:\n        with open(self.path) as f:', 9, (n, l) => `${String(n).padStart(6)}\t${l}`), expected: py.replace('def load(self):', 'def load(self) -> dict:') },
  { name: 'prefixed old, plain new', kind: 'line_numbers', file: go, old: numbered('\t\tfmt.Println("hello", i)', 7, (n, l) => `${n}\t${l}`), new: '\t\tfmt.Println("hi", i)', expected: go.replace('"hello"', '"hi"') },
  { name: 'not a listing: numbers do not count up', kind: 'line_numbers', file: 'x\n', old: '3\tfoo\n9\tbar', new: 'y', expected: 'refuse' },
  { name: 'real text starting with numbers is matched as written', kind: 'line_numbers', file: '1: first\n2: second\n', old: '1: first', new: '1: one', expected: '1: one\n2: second\n' },

  // ── line endings ──────────────────────────────────────────────────────────
  { name: 'CRLF file, LF old_string, CRLF kept', kind: 'crlf', file: crlf(ts), old: 'export function add(a: number, b: number): number {\n  return a - b;\n}', new: 'export function add(a: number, b: number): number {\n  return a + b;\n}', expected: crlf(ts.replace('a - b', 'a + b')) },
  { name: 'CRLF file, new lines added', kind: 'crlf', file: crlf(py), old: '        self.values = {}\n', new: '        self.values = {}\n        self.loaded = False\n', expected: crlf(py.replace('self.values = {}\n', 'self.values = {}\n        self.loaded = False\n')) },
  { name: 'LF file, CRLF old_string', kind: 'crlf', file: go, old: crlf('\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println("hello", i)'), new: crlf('\tfor i := 0; i < 5; i++ {\n\t\tfmt.Println("hello", i)'), expected: go.replace('i < 3', 'i < 5') },
  { name: 'CRLF file without final newline', kind: 'crlf', file: 'a\r\nb\r\nc', old: 'b\nc', new: 'B\nC', expected: 'a\r\nB\r\nC' },

  // ── the same code reformatted ──────────────────────────────────────────────
  { name: 'indentation missing from old and new', kind: 'reformatted', file: ts, old: 'if (!text) {\n  throw new Error("empty file");\n}', new: 'if (!text) {\n  throw new Error("file is empty");\n}', expected: ts.replace('"empty file"', '"file is empty"') },
  { name: 'indented more than the file', kind: 'reformatted', file: py, old: '            def __init__(self, path):\n                self.path = path', new: '            def __init__(self, path: str):\n                self.path = path', expected: py.replace('def __init__(self, path):', 'def __init__(self, path: str):') },
  { name: 'spaces where the file has tabs', kind: 'reformatted', file: go, old: '    for i := 0; i < 3; i++ {\n        fmt.Println("hello", i)\n    }', new: '    for i := 0; i < 3; i++ {\n        fmt.Println("hello", i)\n        fmt.Println("again")\n    }', expected: go.replace('\t\tfmt.Println("hello", i)\n\t}', '\t\tfmt.Println("hello", i)\n\t\tfmt.Println("again")\n\t}') },
  { name: 'trailing whitespace in old', kind: 'reformatted', file: ts, old: '  return a - b;   ', new: '  return a + b;', expected: ts.replace('a - b', 'a + b') },
  { name: 'trailing whitespace in the file', kind: 'reformatted', file: 'one  \ntwo\t\nthree\n', old: 'one\ntwo', new: 'uno\ndos', expected: 'uno\ndos\nthree\n' },
  { name: 'inner whitespace runs', kind: 'reformatted', file: 'const  x   =  1;\nconst y = 2;\n', old: 'const x = 1;', new: 'const x = 3;', expected: 'const x = 3;\nconst y = 2;\n' },
  { name: 'spaces around punctuation', kind: 'reformatted', file: 'call(a,b,c);\nother();\n', old: 'call( a, b, c );', new: 'call(a, b);', expected: 'call(a, b);\nother();\n' },
  { name: 'blank line dropped in old (the file keeps it)', kind: 'reformatted', file: 'function a() {\n  x();\n\n  y();\n}\n', old: 'function a() {\n  x();\n  y();\n}', new: 'function a() {\n  x();\n  z();\n}', expected: 'function a() {\n  x();\n\n  z();\n}\n' },
  { name: 'blank line added in old', kind: 'reformatted', file: 'a();\nb();\nc();\n', old: 'a();\n\nb();', new: 'a();\nB();', expected: 'a();\nB();\nc();\n' },
  { name: 'reformatted block still ambiguous', kind: 'ambiguous', file: 'if (x) {\n  go();\n}\nif (x) {\n    go();\n}\n', old: 'if (x) {\ngo();\n}', new: 'if (y) {\ngo();\n}', expected: 'refuse' },
  { name: 'padding blank lines around old and new', kind: 'reformatted', file: 'a\n  b\nc\n', old: '\nb\n\n', new: '\nB\n\n', expected: 'a\n  B\nc\n' },
  { name: 'nested indentation kept relative', kind: 'reformatted', file: 'class A {\n    method() {\n        a();\n    }\n}\n', old: 'method() {\n    a();\n}', new: 'method() {\n    a();\n    if (b) {\n        c();\n    }\n}', expected: 'class A {\n    method() {\n        a();\n        if (b) {\n            c();\n        }\n    }\n}\n' },

  // ── over-escaped strings, punctuation ─────────────────────────────────────
  { name: 'escaped newlines', kind: 'escaped', file: ts, old: '  if (!text) {\\n    throw new Error(\\"empty file\\");\\n  }', new: '  if (!text) {\\n    throw new Error(\\"nothing\\");\\n  }', expected: ts.replace('"empty file"', '"nothing"') },
  { name: 'escaped quotes only', kind: 'escaped', file: ts, old: 'throw new Error(\\"empty file\\");', new: 'throw new Error(\\"no data\\");', expected: ts.replace('"empty file"', '"no data"') },
  { name: 'escaped tabs (go)', kind: 'escaped', file: go, old: '\\t\\tfmt.Println(\\"hello\\", i)', new: '\\t\\tfmt.Println(\\"bye\\", i)', expected: go.replace('"hello"', '"bye"') },
  { name: 'real backslash-n in the file stays exact', kind: 'escaped', file: 'print("a\\nb")\n', old: 'print("a\\nb")', new: 'print("a\\tb")', expected: 'print("a\\tb")\n' },
  { name: 'escaped old, new keeps a real escape', kind: 'escaped', file: 'msg = "hi"\n', old: 'msg = \\"hi\\"', new: 'msg = \\"hi\\\\n\\"', expected: 'msg = "hi\\n"\n' },
  { name: 'curly quotes in the file', kind: 'punctuation', file: 'const s = \u201chello\u201d;\nconst t = 1;\n', old: 'const s = "hello";', new: 'const s = "bye";', expected: 'const s = "bye";\nconst t = 1;\n' },
  { name: 'curly quotes in old_string', kind: 'punctuation', file: "say('it is')\n", old: 'say(\u2018it is\u2019)', new: "say('it was')", expected: "say('it was')\n" },
  { name: 'en dash and nbsp', kind: 'punctuation', file: 'x = 1 - 2\n', old: 'x\u00a0= 1 \u2013 2', new: 'x = 3', expected: 'x = 3\n' },
  { name: 'punctuation and indentation', kind: 'punctuation', file: '    print(\u201cstart\u201d)\n    run()\n', old: 'print("start")\nrun()', new: 'print("begin")\nrun()', expected: '    print("begin")\n    run()\n' },

  // ── empty old_string ───────────────────────────────────────────────────────
  { name: 'empty old_string on an empty file', kind: 'insert', file: '', old: '', new: 'hello\n', expected: 'hello\n' },
  { name: 'empty old_string inserts at the start', kind: 'insert', file: 'body\n', old: '', new: '// header\n', expected: '// header\nbody\n' },
  { name: 'inserted text without newline gets one', kind: 'insert', file: 'body\n', old: '', new: '#!/usr/bin/env node', expected: '#!/usr/bin/env node\nbody\n' },
  { name: 'insert at start keeps CRLF', kind: 'insert', file: 'a\r\nb\r\n', old: '', new: 'z\n', expected: 'z\r\na\r\nb\r\n' },

  // ── deleting whole lines ───────────────────────────────────────────────────
  { name: 'delete a middle line', kind: 'delete', file: 'a\nb\nc\n', old: 'b', new: '', expected: 'a\nc\n' },
  { name: 'delete a line given with its newline', kind: 'delete', file: 'a\nb\nc\n', old: 'b\n', new: '', expected: 'a\nc\n' },
  { name: 'delete the first line', kind: 'delete', file: 'a\nb\nc\n', old: 'a', new: '', expected: 'b\nc\n' },
  { name: 'delete the last line', kind: 'delete', file: 'a\nb\nc\n', old: 'c', new: '', expected: 'a\nb\n' },
  { name: 'delete a block tolerantly', kind: 'delete', file: 'keep()\n    drop1()\n    drop2()\nkeep2()\n', old: 'drop1()\ndrop2()', new: '', expected: 'keep()\nkeep2()\n' },
  { name: 'delete in a CRLF file', kind: 'delete', file: 'a\r\nb\r\nc\r\n', old: 'b', new: '', expected: 'a\r\nc\r\n' },
  { name: 'delete part of a line leaves the rest', kind: 'delete', file: 'foo(1, 2)\n', old: ', 2', new: '', expected: 'foo(1)\n' },
  { name: 'delete the import and its line', kind: 'delete', file: ts, old: 'import { readFile } from "node:fs/promises";\n', new: '', expected: ts.replace('import { readFile } from "node:fs/promises";\n', '') },

  // ── several edits in one call ─────────────────────────────────────────────
  { name: 'two edits in order', kind: 'multi', file: ts, old: '', new: '', edits: [{ old: '  return a - b;', new: '  return a + b;' }, { old: '"empty file"', new: '"empty"' }], expected: ts.replace('a - b', 'a + b').replace('"empty file"', '"empty"') },
  { name: 'second edit builds on the first', kind: 'multi', file: 'x = 1\n', old: '', new: '', edits: [{ old: 'x = 1', new: 'x = 2' }, { old: 'x = 2', new: 'x = 3' }], expected: 'x = 3\n' },
  { name: 'all or nothing', kind: 'multi', file: 'x = 1\ny = 1\n', old: '', new: '', edits: [{ old: 'x = 1', new: 'x = 2' }, { old: 'z = 1', new: 'z = 2' }], expected: 'refuse' },

  // ── anchored: first and last lines match, the middle drifted ─────────────
  { name: 'middle line reworded', kind: 'anchored', file: ts, old: 'export async function load(path: string): Promise<string> {\n  const text = await readFile(path, "utf-8");\n  if (!text) {\n    throw new Error("empty file");\n  }\n  return text.trim();\n}', new: 'export async function load(path: string): Promise<string> {\n  return (await readFile(path, "utf8")).trim();\n}', expected: ts.replace('export async function load(path: string): Promise<string> {\n  const text = await readFile(path, "utf8");\n  if (!text) {\n    throw new Error("empty file");\n  }\n  return text.trim();\n}', 'export async function load(path: string): Promise<string> {\n  return (await readFile(path, "utf8")).trim();\n}') },
  { name: 'a middle comment the model misremembered', kind: 'anchored', file: 'def total(items):\n    # sum the prices\n    s = 0\n    for it in items:\n        s += it.price\n    return s\n', old: 'def total(items):\n    # add up every price\n    s = 0\n    for it in items:\n        s += it.price\n    return s', new: 'def total(items):\n    return sum(it.price for it in items)', expected: 'def total(items):\n    return sum(it.price for it in items)\n' },
  { name: 'two similar blocks: refuse, name both', kind: 'anchored', file: 'function a() {\n  start();\n  stepOne();\n  finish();\n}\nfunction a() {\n  start();\n  stepTwo();\n  finish();\n}\n', old: 'function a() {\n  start();\n  stepThree();\n  finish();\n}', new: 'x', expected: 'refuse' },
  { name: 'middle too different', kind: 'anchored', file: 'function f() {\n  alpha();\n  beta();\n  gamma();\n}\n', old: 'function f() {\n  completely();\n  unrelated();\n  code();\n}', new: 'x', expected: 'refuse' },
  { name: 'braces alone are no anchors', kind: 'anchored', file: '{\n  a: 1,\n  b: 2,\n}\n', old: '{\n  a: 10,\n  b: 20,\n}', new: '{}', expected: 'refuse' },

  // ── more refusals: never the wrong place ─────────────────────────────────
  { name: 'tolerant duplicate (whitespace)', kind: 'ambiguous', file: '  x();\n\n    x();\n', old: 'x(); ', new: 'y();', expected: 'refuse' },
  { name: 'tolerant duplicate (punctuation)', kind: 'ambiguous', file: 'say(\u201chi\u201d)\nsay("hi")\n', old: 'say(\u2018hi\u2019)', new: 'x', expected: 'refuse' },
  { name: 'substring of a longer identifier is still found', kind: 'exact', file: 'const totalCount = 1;\n', old: 'Count', new: 'Sum', expected: 'const totalSum = 1;\n' },
  { name: 'empty file, non-empty old', kind: 'absent', file: '', old: 'x', new: 'y', expected: 'refuse' },
  { name: 'old_string longer than the file', kind: 'absent', file: 'a\n', old: 'a\nb\nc', new: 'x', expected: 'refuse' },

  // ── more of every kind, in the styles of the peers' suites ─────────────────
  // Search/replace blocks (Cline, Roo Code): exact blocks, trimmed lines, anchors, line numbers.
  { name: 'block in the middle of a class', kind: 'exact', file: 'class A {\n  a() {\n    return 1;\n  }\n\n  b() {\n    return 2;\n  }\n}\n', old: '  b() {\n    return 2;\n  }', new: '  b() {\n    return 3;\n  }', expected: 'class A {\n  a() {\n    return 1;\n  }\n\n  b() {\n    return 3;\n  }\n}\n' },
  { name: 'whole file replaced', kind: 'exact', file: 'one\ntwo\n', old: 'one\ntwo\n', new: 'three\n', expected: 'three\n' },
  { name: 'unicode text', kind: 'exact', file: 'const message = "Hello 世界! 🌍";\n', old: 'Hello 世界! 🌍', new: 'Hello World! 🌎', expected: 'const message = "Hello World! 🌎";\n' },
  { name: 'regex metacharacters are literal', kind: 'exact', file: 'const re = /[.*+?^${}()|[\\]\\\\]/g;\n', old: '/[.*+?^${}()|[\\]\\\\]/g', new: '/\\w+/g', expected: 'const re = /\\w+/g;\n' },
  { name: 'dollar patterns in new_string are literal', kind: 'exact', file: 'price = 1\n', old: 'price = 1', new: "price = '$& $1 $$'", expected: "price = '$& $1 $$'\n" },
  { name: 'text at the very end without newline', kind: 'exact', file: 'a\nlast', old: 'last', new: 'final', expected: 'a\nfinal' },
  { name: 'block indented with tabs, old without indentation', kind: 'reformatted', file: 'func f() {\n\tif ok {\n\t\treturn\n\t}\n}\n', old: 'if ok {\n\treturn\n}', new: 'if !ok {\n\treturn\n}', expected: 'func f() {\n\tif !ok {\n\t\treturn\n\t}\n}\n' },
  { name: 'every line trimmed differently', kind: 'reformatted', file: '  if (true) {\n    return false;\n  }\n', old: 'if (true) {\nreturn false;\n}', new: 'if (false) {\nreturn true;\n}', expected: '  if (false) {\n    return true;\n  }\n' },
  { name: 'trailing spaces on a file line', kind: 'reformatted', file: 'const x = 5;   \nconst y = 10;\n', old: 'const x = 5;', new: 'const x = 15;', expected: 'const x = 15;   \nconst y = 10;\n' },
  { name: 'tabs in the file, spaces in old (one line)', kind: 'reformatted', file: 'function test() {\n\tconsole.log("hello");\n}\n', old: '  console.log("hello");', new: '  console.log("world");', expected: 'function test() {\n\tconsole.log("world");\n}\n' },
  { name: 'collapsed runs of spaces', kind: 'reformatted', file: 'const   x    =     5;\n', old: 'const x = 5;', new: 'const x = 10;', expected: 'const x = 10;\n' },
  { name: 'tabs and spaces inside a condition', kind: 'reformatted', file: 'if\t(  condition\t) {\n  go();\n}\n', old: 'if ( condition ) {', new: 'if (newCondition) {', expected: 'if (newCondition) {\n  go();\n}\n' },
  { name: 'nested block re-indented as a whole', kind: 'reformatted', file: '    function nested() {\n      console.log("deeply nested");\n      return true;\n    }\n', old: 'function nested() {\n  console.log("deeply nested");\n  return true;\n}', new: 'function nested() {\n  console.log("updated");\n  return false;\n}', expected: '    function nested() {\n      console.log("updated");\n      return false;\n    }\n' },
  { name: 'python method at a deeper indent', kind: 'reformatted', file: py, old: 'def load(self):\n    with open(self.path) as f:', new: 'def load(self, encoding="utf8"):\n    with open(self.path, encoding=encoding) as f:', expected: py.replace('    def load(self):\n        with open(self.path) as f:', '    def load(self, encoding="utf8"):\n        with open(self.path, encoding=encoding) as f:') },
  { name: 'yaml keys re-indented', kind: 'reformatted', file: 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n', old: 'web:\n  image: nginx', new: 'web:\n  image: nginx:1.27', expected: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n' },
  { name: 'spaces inside brackets', kind: 'reformatted', file: 'const list = [1, 2, 3];\n', old: 'const list = [ 1, 2, 3 ];', new: 'const list = [1, 2];', expected: 'const list = [1, 2];\n' },
  { name: 'mid-line fragment with other spacing', kind: 'reformatted', file: 'result = compute(a,b) + 1\n', old: 'compute(a, b)', new: 'compute(b, a)', expected: 'result = compute(b, a) + 1\n' },
  { name: 'one line in old, three in the file', kind: 'reformatted', file: 'call(\n  first,\n  second\n);\nnext();\n', old: 'call(first, second);', new: 'call(second, first);', expected: 'call(second, first);\nnext();\n' },
  { name: 'a block written on one line', kind: 'reformatted', file: 'function calculate  (a, b)  {\n    return a + b;\n}\n', old: 'function calculate(a,b){return a+b;}', new: 'function calculate(a, b) {\n    return a - b;\n}', expected: 'function calculate(a, b) {\n    return a - b;\n}\n' },
  { name: 'operators keep their spacing: + + is not ++', kind: 'absent', file: 'x = a + +b;\n', old: 'x = a ++b;', new: 'x = a;', expected: 'refuse' },
  { name: 'words keep their spacing: constx is not const x', kind: 'absent', file: 'const x = 1;\n', old: 'constx = 1;', new: 'y', expected: 'refuse' },
  { name: 'comment marker is not a division', kind: 'absent', file: 'a = b / / c\n', old: 'a = b // c', new: 'x', expected: 'refuse' },
  { name: 'two blank lines where the file has one', kind: 'reformatted', file: 'import a\n\ndef f():\n    pass\n', old: 'import a\n\n\ndef f():', new: 'import a, b\n\n\ndef f():', expected: 'import a, b\n\ndef f():\n    pass\n' },
  { name: 'blank line in the file between old lines, new spans it', kind: 'reformatted', file: 'x = 1\n\ny = 2\nz = 3\n', old: 'x = 1\ny = 2', new: 'x = 10\ny = 20', expected: 'x = 10\ny = 20\nz = 3\n' },

  // Line-number prefixes (Roo Code and Cline strip them; Claude Code's read shows `n→`).
  { name: 'every line numbered with pipes, new numbered too', kind: 'line_numbers', file: 'alpha\nbeta\ngamma\n', old: '1 | alpha\n2 | beta', new: '1 | alpha\n2 | BETA', expected: 'alpha\nBETA\ngamma\n' },
  { name: 'numbered with a blank line in between', kind: 'line_numbers', file: 'a = 1\n\nb = 2\n', old: '1\ta = 1\n2\t\n3\tb = 2', new: '1\ta = 1\n2\t\n3\tb = 3', expected: 'a = 1\n\nb = 3\n' },
  { name: 'arrow numbered lines with indentation kept', kind: 'line_numbers', file: go, old: '     6→\tfor i := 0; i < 3; i++ {\n     7→\t\tfmt.Println("hello", i)', new: '     6→\tfor i := 0; i < 10; i++ {\n     7→\t\tfmt.Println("hello", i)', expected: go.replace('i < 3', 'i < 10') },
  { name: 'numbers that do not count up are not stripped', kind: 'line_numbers', file: '5 | five\n7 | seven\n', old: '5 | five\n7 | seven', new: '5 | FIVE\n7 | seven', expected: '5 | FIVE\n7 | seven\n' },
  { name: 'colon-numbered listing (grep -n)', kind: 'line_numbers', file: ts, old: '12:  return a - b;', new: '12:  return a + b;', expected: ts.replace('a - b', 'a + b') },
  { name: 'numbered old that is also ambiguous stays refused', kind: 'ambiguous', file: 'go()\ngo()\n', old: '1\tgo()', new: '1\tstop()', expected: 'refuse' },

  // Line endings (Continue, Codex, Claude Code).
  { name: 'CRLF file, edit of a single line', kind: 'crlf', file: 'line1\r\nline2\r\nline3', old: 'line2', new: 'LINE2', expected: 'line1\r\nLINE2\r\nline3' },
  { name: 'CRLF file, multi-line new with LF', kind: 'crlf', file: 'a\r\nb\r\n', old: 'a\nb', new: 'a\nx\nb', expected: 'a\r\nx\r\nb\r\n' },
  { name: 'CRLF file, tolerant block', kind: 'crlf', file: '  if (x) {\r\n    y();\r\n  }\r\n', old: 'if (x) {\n  y();\n}', new: 'if (x) {\n  z();\n}', expected: '  if (x) {\r\n    z();\r\n  }\r\n' },
  { name: 'CRLF file with BOM', kind: 'crlf', file: '\uFEFFfirst\r\nsecond\r\n', old: 'first\nsecond', new: 'first\nthird', expected: '\uFEFFfirst\r\nthird\r\n' },
  { name: 'mixed endings: the exact region matches as given', kind: 'crlf', file: 'line1\nline2\r\nline3\rline4', old: 'line2\r\nline3', new: 'merged', expected: 'line1\nmerged\rline4' },

  // Over-escaped strings (Gemini CLI's corrector, opencode's escape normaliser).
  { name: 'escaped dollar in a template literal', kind: 'escaped', file: 'const template = `Hello ${name}`;\n', old: 'const template = `Hello \\${name}`;', new: 'const template = `Hi \\${name}`;', expected: 'const template = `Hi ${name}`;\n' },
  { name: 'escaped single quote', kind: 'escaped', file: "const str = 'It\\'s working';\n", old: "const str = 'It\\'s working';", new: "const str = 'It\\'s fixed';", expected: "const str = 'It\\'s fixed';\n" },
  { name: 'escaped backslashes of a Windows path', kind: 'escaped', file: "const p = 'C:\\Users\\test';\n", old: "const p = 'C:\\\\Users\\\\test';", new: "const p = 'C:\\\\Users\\\\admin';", expected: "const p = 'C:\\Users\\admin';\n" },
  { name: 'a whole block sent as one escaped line', kind: 'escaped', file: 'def f():\n    return "ok"\n', old: 'def f():\\n    return \\"ok\\"', new: 'def f():\\n    return \\"fine\\"', expected: 'def f():\n    return "fine"\n' },
  { name: 'escaped newline inside the file stays literal', kind: 'escaped', file: 'console.log("Hello\\nWorld");\n', old: 'console.log("Hello\\nWorld");', new: 'console.log("Hello\\nUniverse");', expected: 'console.log("Hello\\nUniverse");\n' },

  // Typographic punctuation (Codex's seek_sequence).
  { name: 'en dash and non-breaking hyphen in a comment', kind: 'punctuation', file: 'import asyncio  # local import \u2013 avoids top\u2011level dep\n', old: 'import asyncio  # local import - avoids top-level dep', new: 'import asyncio  # HELLO', expected: 'import asyncio  # HELLO\n' },
  { name: 'ellipsis character in the file', kind: 'punctuation', file: 'print("Loading\u2026")\n', old: 'print("Loading...")', new: 'print("Loading")', expected: 'print("Loading")\n' },
  { name: 'em dash in markdown', kind: 'punctuation', file: '# Title\n\nFast \u2014 and safe.\n', old: 'Fast - and safe.', new: 'Fast and safe.', expected: '# Title\n\nFast and safe.\n' },
  { name: 'curly apostrophe in prose', kind: 'punctuation', file: 'We don\u2019t ship on Fridays.\n', old: "We don't ship on Fridays.", new: 'We ship on Fridays.', expected: 'We ship on Fridays.\n' },

  // Empty and whitespace-only old_string.
  { name: 'whitespace-only old_string inserts at the start', kind: 'insert', file: 'some file content\n', old: '   \n\t  ', new: 'header\n', expected: 'header\nsome file content\n' },
  { name: 'empty old_string into a file with a BOM', kind: 'insert', file: '\uFEFFbody\n', old: '', new: 'top\n', expected: '\uFEFFtop\nbody\n' },
  { name: 'empty old_string and multi-line new on an empty file', kind: 'insert', file: '', old: '', new: 'a\nb\n', expected: 'a\nb\n' },
  { name: 'empty old and new refuse', kind: 'insert', file: 'x\n', old: '', new: '', expected: 'refuse' },

  // Deleting whole lines (Cline, Roo, Claude Code).
  { name: 'delete a block of two lines', kind: 'delete', file: 'a\nb\nc\nd\n', old: 'b\nc', new: '', expected: 'a\nd\n' },
  { name: 'delete the only line', kind: 'delete', file: 'only\n', old: 'only', new: '', expected: '' },
  { name: 'delete the last line without newline', kind: 'delete', file: 'a\nb', old: 'b', new: '', expected: 'a' },
  { name: 'delete an indented line tolerantly', kind: 'delete', file: 'def f():\n    x = 1\n    y = 2\n    return y\n', old: 'x = 1', new: '', expected: 'def f():\n    y = 2\n    return y\n' },
  { name: 'delete a function and the blank line stays single', kind: 'delete', file: 'function a() {}\n\nfunction b() {}\n\nfunction c() {}\n', old: 'function b() {}\n\n', new: '', expected: 'function a() {}\n\nfunction c() {}\n' },
  { name: 'delete with whitespace-only new_string', kind: 'delete', file: 'a\nb\nc\n', old: 'b', new: '   ', expected: 'a\n   \nc\n' },

  // Several edits in one call (Claude Code's MultiEdit, opencode's multiedit).
  { name: 'three edits across the file', kind: 'multi', file: py, old: '', new: '', edits: [{ old: 'import os', new: 'import os\nimport sys' }, { old: 'self.values = {}', new: 'self.values = dict()' }, { old: 'return self.values', new: 'return dict(self.values)' }], expected: py.replace('import os', 'import os\nimport sys').replace('self.values = {}', 'self.values = dict()').replace('return self.values', 'return dict(self.values)') },
  { name: 'an edit that becomes ambiguous after an earlier one refuses all', kind: 'multi', file: 'a = 1\nb = 2\n', old: '', new: '', edits: [{ old: 'b = 2', new: 'a = 1' }, { old: 'a = 1', new: 'c = 3' }], expected: 'refuse' },
  { name: 'tolerant and exact edits together', kind: 'multi', file: '  x = 1\n  y = 2\n', old: '', new: '', edits: [{ old: 'x = 1', new: 'x = 10' }, { old: 'y = 2\n', new: 'y = 20\n' }], expected: '  x = 10\n  y = 20\n' },
  { name: 'a later edit inserts at the start', kind: 'multi', file: 'body\n', old: '', new: '', edits: [{ old: 'body', new: 'BODY' }, { old: '', new: '# title\n' }], expected: '# title\nBODY\n' },

  // Aider's "..." elision in both strings.
  { name: 'elided middle: two pieces edited', kind: 'elided', file: 'def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n', old: 'def a():\n    return 1\n...\ndef c():\n    return 3', new: 'def a():\n    return 10\n...\ndef c():\n    return 30', expected: 'def a():\n    return 10\n\ndef b():\n    return 2\n\ndef c():\n    return 30\n' },
  { name: 'existing-code comment as elision', kind: 'elided', file: 'function f() {\n  setup();\n  work();\n  teardown();\n}\n', old: 'function f() {\n  setup();\n  // ... existing code ...\n  teardown();\n}', new: 'function f() {\n  setup();\n  // ... existing code ...\n  teardown();\n  report();\n}', expected: 'function f() {\n  setup();\n  work();\n  teardown();\n  report();\n}\n' },
  { name: 'elision counts differ: refused', kind: 'elided', file: 'a\nb\nc\n', old: 'a\n...\nc', new: 'a\nc', expected: 'refuse' },

  // Anchors with a drifted middle (opencode's BlockAnchorReplacer, Cline's block anchor).
  { name: 'anchored python function with a changed middle line', kind: 'anchored', file: 'def area(r):\n    pi = 3.14159\n    squared = r * r\n    return pi * squared\n', old: 'def area(r):\n    pi = 3.14\n    squared = r * r\n    return pi * squared', new: 'def area(r):\n    return math.pi * r * r', expected: 'def area(r):\n    return math.pi * r * r\n' },
  { name: 'anchored block with one line more in the file', kind: 'anchored', file: 'begin()\n  step(1)\n  step(2)\n  step(3)\n  step(4)\nend()\n', old: 'begin()\n  step(1)\n  step(2)\n  step(4)\nend()', new: 'begin()\nend()', expected: 'begin()\nend()\n' },
  { name: 'anchored but unrelated middle: refused', kind: 'anchored', file: 'def f():\n    a = load()\n    b = parse(a)\n    return b\n', old: 'def f():\n    totally()\n    different()\n    return b', new: 'x', expected: 'refuse' },

  // Typos in old_string (Continue's fuzzy level), and what is not a typo.
  { name: 'misspelt variable', kind: 'typo', file: "const message = 'Hello World';\n", old: "const mesage = 'Hello World';", new: "const message = 'Hi';", expected: "const message = 'Hi';\n" },
  { name: 'transposed letters in a function name', kind: 'typo', file: 'function getUserName() { return this.name; }\n', old: 'function getUserNaem() { return this.name; }', new: 'function getUserName() { return this.fullName; }', expected: 'function getUserName() { return this.fullName; }\n' },
  { name: 'typo in a two-line block, other lines exact', kind: 'typo', file: 'const total = items.length;\nconsole.log(total);\n', old: 'const totl = items.length;\nconsole.log(total);', new: 'const total = items.length;\nconsole.info(total);', expected: 'const total = items.length;\nconsole.info(total);\n' },
  { name: 'a different number is not a typo', kind: 'absent', file: 'const retries = 5;\n', old: 'const retries = 3;', new: 'const retries = 4;', expected: 'refuse' },
  { name: 'true and false are not typos', kind: 'absent', file: 'return true;\n', old: 'return false;', new: 'return null;', expected: 'refuse' },
  { name: 'a short name is not a typo', kind: 'absent', file: 'a = compute(x)\n', old: 'c = compute(x)', new: 'd', expected: 'refuse' },
  { name: 'a typo matching two places is ambiguous', kind: 'ambiguous', file: 'const message = "hi";\nconst massage = "hi";\n', old: 'const mesage = "hi";', new: 'x', expected: 'refuse' },
  { name: 'renamed variables throughout are not typos', kind: 'absent', file: 'function calculateTotal(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\n', old: 'function calculateTotal(products) {\n  let total = 0;\n  for (const product of products) {\n    total += product.price;\n  }\n  return total;\n}', new: 'x', expected: 'refuse' },

  // Ambiguity in every form: never a guess.
  { name: 'same line three times', kind: 'ambiguous', file: 'test\ntest\ndifferent content\ntest\n', old: 'test', new: 'updated', expected: 'refuse' },
  { name: 'fragment in several lines', kind: 'ambiguous', file: 'const a = 1;\nconst b = 1;\nconst c = 1;\n', old: '= 1', new: '= 2', expected: 'refuse' },
  { name: 'tolerant block twice at different indents', kind: 'ambiguous', file: 'if (a) {\n  run();\n}\n  if (a) {\n    run();\n  }\n', old: ' if (a) {\n run();\n }', new: 'x', expected: 'refuse' },
  { name: 'a same-line match beats a reflowed one', kind: 'reformatted', file: 'f(a,\n  b);\nf(a, b);\n', old: 'f(a,b);', new: 'g();', expected: 'f(a,\n  b);\ng();\n' },
  { name: 'reflowed twice', kind: 'ambiguous', file: 'f(a,\n  b);\nf(\n  a, b);\n', old: 'f(a, b);', new: 'g();', expected: 'refuse' },
  { name: 'punctuation-folded twice', kind: 'ambiguous', file: 'say(\u201cok\u201d)\nsay(\u201cok\u201d)\n', old: 'say("ok")', new: 'x', expected: 'refuse' },
  { name: 'replace_all over tolerant matches', kind: 'reformatted', file: '  go();\n    go();\n', old: 'go();\n', new: 'stop();\n', replaceAll: true, expected: '  stop();\n    stop();\n' },
  { name: 'identical old and new refuse', kind: 'absent', file: 'console.log("test");\n', old: 'console.log("test");', new: 'console.log("test");', expected: 'refuse' },
  { name: 'text only in a comment elsewhere is still the one place', kind: 'exact', file: '// call setup() first\nsetup();\n', old: 'setup();', new: 'init();', expected: '// call setup() first\ninit();\n' },

  // Aider's replace_most_similar_chunk kinds.
  { name: 'a whole line whose copy lost its period is not a fragment of it', kind: 'absent', file: 'This is a sample text.\nAnother line of text.\nYet another line.\n', old: 'This is a sample text\n', new: 'This is a replaced text.\n', expected: 'refuse' },
  { name: 'missing leading whitespace on every line', kind: 'reformatted', file: '    line1\n    line2\n    line3\n', old: 'line1\nline2\n', new: 'new_line1\nnew_line2\n', expected: '    new_line1\n    new_line2\n    line3\n' },
  { name: 'varied leading whitespace kept relative', kind: 'reformatted', file: '\n    line1\n    line2\n        line3\n    line4\n', old: 'line2\n    line3\n', new: 'new_line2\n    new_line3\n', expected: '\n    line1\n    new_line2\n        new_line3\n    line4\n' },
  { name: 'some leading whitespace missing, new indents one line deeper', kind: 'reformatted', file: '    line1\n    line2\n    line3\n', old: ' line1\n line2\n', new: ' new_line1\n     new_line2\n', expected: '    new_line1\n        new_line2\n    line3\n' },
  { name: 'a leading blank line in old only', kind: 'reformatted', file: '    line1\n    line2\n    line3\n', old: '\n  line1\n  line2\n', new: '  new_line1\n  new_line2\n', expected: '    new_line1\n    new_line2\n    line3\n' },
  { name: 'the same line twice is refused, not the first taken', kind: 'ambiguous', file: 'line1\nline2\nline1\nline3\n', old: 'line1\n', new: 'new_line\n', expected: 'refuse' },
  { name: 'a trimmed fragment at the end of a line', kind: 'reformatted', file: 'x = compute()   \ny = 2\n', old: 'compute()\n', new: 'compute(1)\n', expected: 'x = compute(1)   \ny = 2\n' },
];
