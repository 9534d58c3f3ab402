import { firstWriteProblem, judgeReadOperand, optionValue } from './fileOperands';
import { allow, beforeDoubleDash, type ProgramRule } from './ruleKit';

/**
 * Programs whose operands are files they write (or remove). None is allowed by default; when a person
 * allowlists one (`cp`, `mkdir`, `tee`), these rules still refuse a protected destination, so the
 * allowlist entry `cp` cannot plant `.git/hooks/pre-commit` or `.vscode/tasks.json`.
 */

interface Operands {
  writes: { path: string; how: string }[];
  reads: string[];
}

/** Positional operands, skipping the values of the listed options (`-t DIR`, `--suffix=X`). */
function operands(args: readonly string[], valued: readonly string[]): { positional: string[]; target?: string } {
  const positional: string[] = [];
  let target: string | undefined;
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!ended && a === '--') {
      ended = true;
      continue;
    }
    if (!ended && a.startsWith('-') && a !== '-') {
      const t = optionValue(args, i, ['--target-directory'], '-t');
      if (t) {
        target = t.value;
        i += t.used - 1;
        continue;
      }
      if (valued.includes(a)) i++;
      continue;
    }
    positional.push(a);
  }
  return { positional, ...(target !== undefined ? { target } : {}) };
}

/** cp, install, ln: the last operand (or -t DIR) is written; the others are read. */
function copyLike(valued: readonly string[]): (args: readonly string[]) => Operands {
  return (args) => {
    const { positional, target } = operands(args, valued);
    if (target !== undefined) return { writes: [{ path: target, how: 'into' }], reads: positional };
    const dest = positional[positional.length - 1];
    return { writes: dest !== undefined && positional.length > 1 ? [{ path: dest, how: 'to' }] : [], reads: positional.slice(0, -1) };
  };
}

/** Every operand is written (tee, touch, mkdir) or removed (rm, mv's sources). */
function allOperands(how: string, valued: readonly string[] = []): (args: readonly string[]) => Operands {
  return (args) => {
    const { positional, target } = operands(args, valued);
    return { writes: [...positional, ...(target !== undefined ? [target] : [])].map((p) => ({ path: p, how })), reads: [] };
  };
}

function writerRule(program: string, what: string, parse: (args: readonly string[]) => Operands): ProgramRule {
  return {
    check(args) {
      const { writes, reads } = parse(args);
      const problem = firstWriteProblem(program, writes);
      if (problem) return problem;
      for (const r of reads) {
        const readProblem = judgeReadOperand(program, r);
        if (readProblem) return readProblem;
      }
      return allow(`${program} ${what} (no protected path among its operands)`);
    },
  };
}

const dd: ProgramRule = {
  check(args) {
    for (const a of args) {
      if (a.startsWith('of=')) {
        const problem = firstWriteProblem('dd', [{ path: a.slice(3), how: 'of=' }]);
        if (problem) return problem;
      }
      if (a.startsWith('if=')) {
        const problem = judgeReadOperand('dd', a.slice(3));
        if (problem) return problem;
      }
    }
    return allow('dd copies data (no protected path among its operands)');
  },
};

export const WRITER_RULES: Record<string, ProgramRule> = {
  cp: writerRule('cp', 'copies files', copyLike(['-S', '--suffix'])),
  install: writerRule('install', 'copies files', copyLike(['-m', '--mode', '-o', '--owner', '-g', '--group', '-S', '--suffix'])),
  ln: writerRule('ln', 'makes links', copyLike(['-S', '--suffix'])),
  mv: writerRule('mv', 'moves files', allOperands('moves', ['-S', '--suffix'])),
  tee: writerRule('tee', 'writes its input to files', allOperands('writes')),
  touch: writerRule('touch', 'creates or touches files', allOperands('touches', ['-d', '--date', '-r', '--reference', '-t'])),
  mkdir: writerRule('mkdir', 'makes folders', allOperands('makes', ['-m', '--mode'])),
  rm: writerRule('rm', 'removes files', allOperands('removes')),
  rmdir: writerRule('rmdir', 'removes folders', allOperands('removes')),
  chmod: writerRule('chmod', 'changes modes', (args) => ({ writes: beforeDoubleDash(args).filter((a) => !a.startsWith('-')).slice(1).map((p) => ({ path: p, how: 'changes the mode of' })), reads: [] })),
  truncate: writerRule('truncate', 'truncates files', allOperands('truncates', ['-s', '--size', '-r', '--reference'])),
  dd,
};
