import { createInterface } from 'node:readline';
import type { Asker } from '../core/tools/askUser';
import { RESET_ATTRIBUTES, sanitizeForTerminal } from '../core/trace/terminalText';

/**
 * Asks one question on the terminal (stderr, so stdout stays the run's result) and reads one line.
 * Resolves undefined at the end of input or when the run is cancelled; the callers treat that as "no".
 */
export function terminalPrompt(question: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let done = false;
    const finish = (answer: string | undefined) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      rl.close();
      resolve(answer);
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort);
    rl.once('close', () => finish(undefined));
    // Whatever came before (model text, command output) cannot leave colours or hidden text behind:
    // attributes are reset, and the question itself carries no control sequence.
    if (process.stderr.isTTY) process.stderr.write(RESET_ATTRIBUTES);
    rl.question(sanitizeForTerminal(question), (answer) => finish(answer));
  });
}

/** ask_user on the terminal: the question, numbered options, and one line for the answer. */
export const terminalAsker: Asker = {
  async ask(req, signal) {
    const opts = req.options?.length ? `\n${req.options.map((o, i) => `  ${i + 1}. ${o}`).join('\n')}` : '';
    const line = await terminalPrompt(`\nThe agent asks: ${req.question}${opts}\n> `, signal);
    if (line === undefined) return { unanswered: 'the user did not answer' };
    const n = Number(line.trim());
    const picked = req.options && Number.isInteger(n) && n >= 1 && n <= req.options.length ? req.options[n - 1] : undefined;
    return { answer: picked ?? line };
  },
};
