import { numberedLines, TestRepo } from '../../unit/adapters/git/gitRepo';

/** The second file of the fixture: `lines` numbered lines, of which `line` is reworded to `line <word>` after the commit. */
export interface NumberedFile {
  path: string;
  lines: number;
  line: number;
  word: string;
}

/**
 * The repository the review integration tests read: one commit, then an uncommitted change in which
 * add() in src/math.js subtracts (line 2) and one line of a file of numbered lines is reworded.
 */
export function repoWithChange(numbered: NumberedFile): TestRepo {
  const repo = new TestRepo();
  repo.write('src/math.js', 'function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n');
  repo.write(numbered.path, numberedLines(numbered.lines));
  repo.commitAll('init');
  repo.write('src/math.js', 'function add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n');
  repo.write(numbered.path, numberedLines(numbered.lines).replace(`line ${numbered.line}\n`, `line ${numbered.word}\n`));
  return repo;
}
