import { createStreamRedactor, type Redactor } from '../core/trace/redact';
import { sanitizeForTerminal } from '../core/trace/terminalText';

/**
 * The one way the CLI writes run text to the terminal: through the run's redactor as a stream (a key
 * split across two chunks of command output is still caught) and with every control sequence removed
 * (model text, file contents and command output must not move the cursor or fake a prompt).
 */
export interface TerminalOutput {
  write(text: string): void;
  /** Lets out what is held back at the end of a line that never ended (before a prompt, at the end). */
  flush(): void;
}

export function createTerminalOutput(write: (text: string) => void, redactor: Redactor): TerminalOutput {
  const stream = createStreamRedactor(redactor);
  return {
    write(text) {
      const out = stream.push(text);
      if (out) write(sanitizeForTerminal(out));
    },
    flush() {
      const out = stream.flush();
      if (out) write(sanitizeForTerminal(out));
    },
  };
}

/** Final text (the run's answer on stdout): redacted and stripped of control sequences. */
export function terminalSafe(text: string, redactor: Redactor): string {
  return sanitizeForTerminal(redactor.text(text));
}
