import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBashParser, type BashParser } from '../../../../../src/core/policy/command/bashParser';
import { checkCommand, checkCommandWith } from '../../../../../src/core/policy/command/checkCommand';
import { walkCommandLine } from '../../../../../src/core/policy/command/commandTree';
import { parsePlainLine } from '../../../../../src/core/policy/command/plainLine';
import { defaultAllowlist } from '../../../../../src/core/policy/command/allowlist';
import { policy, WASM_DIRS } from './policyHelpers';

/**
 * The plain-line fast path (plainLine.ts) must read every line it accepts exactly as the bash grammar
 * does, and hand every other line to the grammar: the policy's verdicts cannot depend on which path ran.
 */
let parser: BashParser;
beforeAll(async () => {
  parser = await loadBashParser(WASM_DIRS);
});

const grammar = (line: string) => {
  const tree = parser.parse(line);
  try {
    return walkCommandLine(tree.rootNode, line, '.agent-harness');
  } finally {
    tree.delete();
  }
};

// Plain characters, the shell's special ones, and the words bash reads specially at a command's start.
const CHARS = [...'abcXYZ019_./-=:,+@%', ...' \t\'"\\$`*?[]{}~#;&|<>()!^\n'];
const SPECIAL_WORDS = ['==', '===', '=~', '!=', 'a==', '==b', 'if', 'then', 'for', 'while', 'do', 'done', 'time', 'export', 'declare', 'local', 'unset', 'test', 'function', 'coproc', 'in', 'case', 'esac', 'x=1', 'A=b', '!', '[[', '{', '}', '.', '..', '-', '--', '=', 'select', 'until', 'readonly', 'typeset', 'else', 'fi'];
const word = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_./=:,+@%-]{1,8}$/), weight: 8 },
  { arbitrary: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')), weight: 1 },
  { arbitrary: fc.constantFrom(...SPECIAL_WORDS), weight: 1 },
);
const line = fc.tuple(fc.array(word, { minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '  ', '\t'), fc.boolean()).map(([ws, sep, pad]) => `${pad ? ' ' : ''}${ws.join(sep)}${pad ? '  ' : ''}`);

describe('the plain-line fast path', () => {
  it('reads every line it accepts exactly as the bash grammar does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(line, (l) => {
        const plain = parsePlainLine(l);
        if (!plain) return;
        accepted++;
        expect(plain).toEqual(grammar(l));
      }),
      { numRuns: 3000, seed: 20261208 },
    );
    // The generator must exercise the fast path, not only the refusals.
    expect(accepted).toBeGreaterThan(100);
  });

  it.each(['npm test', 'ls -la src', '  git log --oneline -5 ', 'node scripts/build.mjs --production', 'make -j4 all', 'cargo test --features=x,y', 'git show HEAD:README.md', 'npx vitest run a.test.ts'])('accepts %j', (l) => {
    expect(parsePlainLine(l)).toEqual(grammar(l));
  });

  it.each(['FOO=1 npm test', 'time make', 'export A=b', 'ls *.ts', 'cat ~/.ssh/id_rsa', 'echo $HOME', "echo 'a b'", 'ls && rm -rf x', 'ls > out', 'echo {a,b}', 'ls # c', 'a\tb', 'ls\nrm x', 'sh -c "ls"', 'test -f x', 'if', '[ -f x ]', '!', 'echo a\\ b'])('leaves %j to the grammar', (l) => {
    expect(parsePlainLine(l)).toBeUndefined();
  });

  it('gives the same verdicts with and without the parser, on the default allowlist and with deny rules', async () => {
    const base = policy(defaultAllowlist([]), { deny: ['git push', 'rm'] });
    const words = fc.constantFrom('ls', 'git', 'npm', 'rm', 'sh', 'bash', 'env', 'xargs', 'node', 'cat', 'push', 'status', 'test', 'run', '-c', '-rf', '--force', 'src', 'a.txt', 'x=1', '.', '--', 'timeout', '5', 'curl', 'example.com');
    await fc.assert(
      fc.asyncProperty(fc.array(words, { minLength: 1, maxLength: 5 }), async (ws) => {
        const l = ws.join(' ');
        expect(await checkCommand(l, base)).toEqual(checkCommandWith(parser, l, base));
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
