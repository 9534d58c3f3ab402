/**
 * The tasks the command-palette commands give the agent. Plain functions of plain data, so the exact
 * wording is tested without VS Code. `display` is what the conversation shows for the task.
 */
export interface TaskText {
  task: string;
  display: string;
}

export interface DiagnosticInfo {
  line: number;
  severity: string | undefined;
  message: string;
  source?: string | undefined;
}

export function fixProblemsTask(file: string, diagnostics: readonly DiagnosticInfo[]): TaskText {
  const list = diagnostics
    .slice(0, 50)
    .map((d) => `- line ${d.line} [${(d.severity ?? 'problem').toLowerCase()}${d.source ? `, ${d.source}` : ''}]: ${d.message}`)
    .join('\n');
  const more = diagnostics.length > 50 ? `\n(and ${diagnostics.length - 50} more)` : '';
  return {
    task: `Fix the problems VS Code reports in ${file}. Read the file first, change only what the fixes need, and say what you changed.\n\nProblems:\n${list}${more}`,
    display: `Fix ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in ${file}`,
  };
}

export function writeTestsTask(file: string): TaskText {
  return {
    task: `Write tests for ${file}. Find how this project tests code (framework, folder, naming) and follow it; cover the main behaviour and the edge cases; do not change ${file} itself unless a test shows a bug, and then say so.`,
    display: `Write tests for ${file}`,
  };
}
