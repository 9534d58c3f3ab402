import type { EditOutcome, MatchStrategy } from './match';

type Failure = Extract<EditOutcome, { ok: false }>;

const STRATEGY_NOTE: Record<MatchStrategy, string> = {
  exact: '',
  line_endings: ' (matched after normalising line endings)',
  whitespace: ' (matched ignoring whitespace and indentation differences; the replacement was re-indented to the file)',
  punctuation: ' (matched after folding typographic punctuation)',
  punctuation_whitespace: ' (matched ignoring whitespace and typographic punctuation differences)',
};

/** A short note on how tolerant the match had to be, so the model can correct its copy of the file. */
export function strategyNote(strategy: MatchStrategy): string {
  return STRATEGY_NOTE[strategy];
}

/**
 * The tool error text for a failed edit. It tells the model what to do next: which candidates made
 * the edit ambiguous, or the closest region of the file so it can copy the exact text and retry.
 */
export function describeEditFailure(path: string, failure: Failure): string {
  switch (failure.reason) {
    case 'no_change':
      return `old_string and new_string are identical; nothing to change in ${path}.`;
    case 'empty_old_string':
      return `old_string is empty but ${path} is not: use write_file to replace the whole file, or give the text to replace.`;
    case 'ambiguous': {
      const list = failure.candidates.map((c) => `  line ${c.startLine === c.endLine ? c.startLine : `${c.startLine}-${c.endLine}`}: ${c.snippet}`).join('\n');
      const more = failure.count > failure.candidates.length ? `\n  … and ${failure.count - failure.candidates.length} more` : '';
      return `old_string matches ${failure.count} places in ${path}; nothing was changed. Include more surrounding lines to make it unique, or set replace_all to change every occurrence. Candidates:\n${list}${more}`;
    }
    case 'not_found': {
      const head = `old_string was not found in ${path}; nothing was changed. Read the file and copy the text exactly.`;
      if (!failure.closest) return head;
      const c = failure.closest;
      return `${head}\nThe closest region is lines ${c.startLine}-${c.endLine} (similarity ${Math.round(c.similarity * 100)}%):\n${c.excerpt}`;
    }
  }
}
