import { diffArrays } from 'diff';
import type { EditOutcome, EditRepair, MatchStrategy } from './match';

type Failure = Extract<EditOutcome, { ok: false }>;
type Success = Extract<EditOutcome, { ok: true }>;

const STRATEGY_NOTE: Record<MatchStrategy, string> = {
  exact: 'exact',
  line_endings: 'exact after normalising line endings',
  trimmed: 'exact after trimming whitespace around old_string',
  fragment_whitespace: 'whitespace-normalised within one line',
  reflowed: 'whitespace-normalised across lines: the same code with its line breaks moved',
  typo: 'typo-tolerant: a misspelt word in old_string, everything else equal',
  elided: 'piece by piece between the "..." lines of old_string and new_string',
  line_trimmed: 'line-trimmed: leading and trailing whitespace ignored, replacement re-indented to the file',
  whitespace: 'whitespace-normalised: runs of whitespace inside lines ignored, replacement re-indented',
  whitespace_stripped: 'whitespace-normalised: all whitespace inside lines ignored, replacement re-indented',
  blank_lines: 'blank lines ignored: the block differs from the file only in blank lines and whitespace',
  punctuation: 'after folding typographic quotes, dashes and spaces to ASCII',
  punctuation_whitespace: 'after folding typographic punctuation and ignoring whitespace',
  anchored: 'anchored: first and last lines matched, the lines between were similar',
  insert_start: 'inserted at the start of the file (empty old_string)',
};

const REPAIR_NOTE: Record<EditRepair, string> = {
  line_numbers: 'line-number prefixes removed from old_string and new_string',
  unescaped: 'escapes (\\n, \\t, \\") undone in old_string and new_string',
};

/**
 * How the edit matched, for the tool result, so the model knows how far its copy of the file was off
 * and can fix it next time. Nothing for an exact match.
 */
export function strategyNote(outcome: Pick<Success, 'strategy' | 'repairs' | 'similarity' | 'typos'>): string {
  if (outcome.strategy === 'exact' && outcome.repairs.length === 0) return '';
  const parts = [STRATEGY_NOTE[outcome.strategy], ...outcome.repairs.map((r) => REPAIR_NOTE[r])];
  if (outcome.similarity !== undefined) parts.push(`similarity ${Math.round(outcome.similarity * 100)}%`);
  if (outcome.typos?.length) parts.push(outcome.typos.map(([yours, file]) => `"${yours}" is "${file}" in the file`).join(', '));
  return ` (matched ${parts.join('; ')})`;
}

const MAX_DIFF_LINES = 20;

/**
 * The tool error text for a failed edit. It tells the model what to do next: which candidates made
 * the edit ambiguous (with their line numbers), or the closest region of the file with a short diff
 * of how old_string differs from it, so the next try can copy the file's text.
 */
export function describeEditFailure(path: string, failure: Failure): string {
  switch (failure.reason) {
    case 'no_change':
      return `old_string and new_string are identical; nothing to change in ${path}.`;
    case 'ambiguous': {
      const list = failure.candidates.map((c) => `  line ${c.startLine === c.endLine ? c.startLine : `${c.startLine}-${c.endLine}`}: ${c.snippet}`).join('\n');
      const more = failure.count > failure.candidates.length ? `\n  … and ${failure.count - failure.candidates.length} more` : '';
      const how = failure.strategy === 'exact' ? '' : ` (when compared ${STRATEGY_NOTE[failure.strategy]})`;
      return `old_string matches ${failure.count} places in ${path}${how}; nothing was changed. Include more surrounding lines to make it unique, or set replace_all to change every occurrence. Candidates:\n${list}${more}`;
    }
    case 'not_found': {
      const head = `old_string was not found in ${path}; nothing was changed. Read the file and copy the text exactly.`;
      if (!failure.closest) return head;
      const c = failure.closest;
      const fileLines = c.excerpt.split('\n').filter((l) => l !== '…').map((l) => l.replace(/^\d+\t/, ''));
      return `${head}\nThe closest region is lines ${c.startLine}-${c.endLine} (similarity ${Math.round(c.similarity * 100)}%):\n${c.excerpt}\nHow old_string differs from it (- yours, + the file):\n${shortDiff(failure.oldLines, fileLines)}`;
    }
  }
}

/** A line diff of at most MAX_DIFF_LINES changed lines; unchanged lines are left out. */
export function shortDiff(oldLines: readonly string[], fileLines: readonly string[]): string {
  const out: string[] = [];
  for (const part of diffArrays([...oldLines], [...fileLines])) {
    if (!part.added && !part.removed) continue;
    for (const line of part.value) {
      if (out.length >= MAX_DIFF_LINES) return `${out.join('\n')}\n…`;
      out.push(`${part.added ? '+' : '-'} ${line}`);
    }
  }
  return out.length > 0 ? out.join('\n') : '(only whitespace differs)';
}
