import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

/**
 * An eval suite (`agent-harness eval SUITE.yaml`): the team's own tasks, each on a fixture workspace
 * with checks that decide whether an attempt passed. Paths are relative to the suite file. Unknown
 * fields are mistakes (a misspelt `expect_changed` would silently check nothing), so every object is
 * strict and an error names the case and the field.
 */
const CheckSchema = z.strictObject({
  /** Must exit 0 after the run, run the way the run ran commands (the sandbox the run used). */
  command: z.string().trim().min(1),
  /** Seconds before the check counts as failed. Default 120. */
  timeout_seconds: z.number().positive().max(3600).optional(),
});

export const EvalCaseSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit'),
  /** A directory, copied fresh for every attempt. */
  workspace: z.string().min(1),
  task: z.string().trim().min(1),
  check: CheckSchema.optional(),
  /** Files (relative to the workspace) that must change; every other file must not. */
  expect_changed: z.array(z.string().min(1)).optional(),
  /** A regular expression the final answer must match. */
  expect_answer: z.string().min(1).optional(),
  max_turns: z.number().int().positive().max(500).optional(),
  max_cost_usd: z.number().positive().optional(),
});
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export const GateSchema = z.strictObject({
  /** How far a pass rate may fall (0..1) before the gate fails; 0: any case that passed and now fails. */
  max_pass_rate_drop: z.number().min(0).max(1).default(0),
  /** How much the cost per passed attempt may rise (0.2 = 20%). */
  max_cost_increase: z.number().min(0).default(0.2),
});
export type Gate = z.infer<typeof GateSchema>;

export const SuiteSchema = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  cases: z.array(EvalCaseSchema).min(1),
  gate: GateSchema.default({ max_pass_rate_drop: 0, max_cost_increase: 0.2 }),
});

export interface EvalSuite {
  name: string;
  description?: string;
  /** The suite file, absolute. */
  file: string;
  cases: ResolvedCase[];
  gate: Gate;
}

/** A case with its workspace resolved to an absolute directory and its answer pattern compiled. */
export interface ResolvedCase extends EvalCase {
  workspaceDir: string;
  answerPattern?: RegExp;
}

/** A suite that cannot run: the message names the file, the case and the field. */
export class SuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteError';
  }
}

const MAX_SUITE_BYTES = 1024 * 1024;

export async function loadSuite(file: string): Promise<EvalSuite> {
  const abs = path.resolve(file);
  let text: string;
  try {
    const st = await stat(abs);
    if (!st.isFile()) throw new SuiteError(`${file} is not a file`);
    if (st.size > MAX_SUITE_BYTES) throw new SuiteError(`${file} is larger than 1 MiB; a suite lists cases, its fixtures live in folders`);
    text = await readFile(abs, 'utf8');
  } catch (e) {
    if (e instanceof SuiteError) throw e;
    throw new SuiteError(`cannot read the suite ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseSuite(text, abs);
}

export async function parseSuite(text: string, file: string): Promise<EvalSuite> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new SuiteError(`${file}: not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = SuiteSchema.safeParse(raw);
  if (!parsed.success) throw new SuiteError(`${file}: ${describe(parsed.error, raw)}`);
  const suite = parsed.data;
  const seen = new Set<string>();
  const dir = path.dirname(file);
  const cases: ResolvedCase[] = [];
  for (const c of suite.cases) {
    if (seen.has(c.id)) throw new SuiteError(`${file}: case "${c.id}" appears twice; case ids must be unique`);
    seen.add(c.id);
    if (!c.check && !c.expect_changed && !c.expect_answer) {
      throw new SuiteError(`${file}: case "${c.id}" checks nothing: give check, expect_changed or expect_answer`);
    }
    let answerPattern: RegExp | undefined;
    if (c.expect_answer !== undefined) {
      try {
        answerPattern = new RegExp(c.expect_answer, 'i');
      } catch (e) {
        throw new SuiteError(`${file}: case "${c.id}", field expect_answer: not a regular expression: ${(e as Error).message}`);
      }
    }
    const workspaceDir = path.resolve(dir, c.workspace);
    const st = await stat(workspaceDir).catch(() => undefined);
    if (!st?.isDirectory()) throw new SuiteError(`${file}: case "${c.id}", field workspace: ${c.workspace} is not a directory (resolved to ${workspaceDir})`);
    for (const f of c.expect_changed ?? []) {
      if (path.isAbsolute(f) || f.split(/[\\/]/).includes('..')) throw new SuiteError(`${file}: case "${c.id}", field expect_changed: ${f} must be a path inside the workspace`);
    }
    cases.push({ ...c, workspaceDir, ...(answerPattern ? { answerPattern } : {}) });
  }
  return { name: suite.name, ...(suite.description ? { description: suite.description } : {}), file, cases, gate: suite.gate };
}

/** The first problem, said with the case id (not its index) and the field. */
function describe(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0]!;
  const p = issue.path;
  let where = p.length > 0 ? `field ${p.join('.')}` : 'the suite';
  if (p[0] === 'cases' && typeof p[1] === 'number') {
    const c = (raw as { cases?: Array<{ id?: unknown }> }).cases?.[p[1]];
    const id = typeof c?.id === 'string' ? `"${c.id}"` : `#${p[1] + 1}`;
    const field = p.slice(2).join('.');
    where = `case ${id}${field ? `, field ${field}` : ''}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  return `${where}: ${issue.message}`;
}
