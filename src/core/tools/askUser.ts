import { z } from 'zod';
import { defineTool } from './defineTool';
import { TOOL } from '../../shared/toolNames';

export const AskUserArgsSchema = z.object({
  question: z.string().trim().min(1, 'the question must not be empty').max(2000).describe('One clear question for the user.'),
  options: z
    .array(z.string().trim().min(1).max(200))
    .min(2, 'give at least two options, or none for a free-text answer')
    .max(10)
    .refine((xs) => new Set(xs).size === xs.length, 'options must be different from each other')
    .optional()
    .describe('Choices to offer; the user may still answer in their own words.'),
});
export type AskUserArgs = z.infer<typeof AskUserArgsSchema>;

export interface AskUserRequest {
  runId: string;
  callId: string;
  question: string;
  options?: string[];
}

/** An answer, or why there is none (no one at the terminal, the user dismissed the question). */
export type AskUserAnswer = { answer: string } | { unanswered: string };

/** The port the CLI (terminal prompt) and the extension (side panel) implement. */
export interface Asker {
  ask(request: AskUserRequest, signal: AbortSignal): Promise<AskUserAnswer>;
}

/**
 * `ask_user {question, options?}`: lets the model ask the person instead of guessing. When nobody can
 * answer, the model is told so and asked to state its assumption, so a headless run still finishes.
 */
export function createAskUserTool(asker: Asker) {
  return defineTool({
    name: TOOL.askUser,
    description:
      'Ask the user a question when the task is ambiguous or a decision is theirs to make. Offer options when there are a few clear choices. Use sparingly: one focused question at a time.',
    kind: 'interaction',
    schema: AskUserArgsSchema,
    async run({ question, options }, ctx) {
      const res = await asker.ask({ runId: ctx.runId, callId: ctx.callId, question, ...(options ? { options } : {}) }, ctx.signal);
      if ('unanswered' in res) {
        return `No answer: ${res.unanswered}. Proceed with your best judgement, and state the assumption you made in your summary.`;
      }
      const answer = res.answer.trim();
      if (answer === '') return 'The user gave an empty answer. Proceed with your best judgement, and state the assumption you made in your summary.';
      const choice = options?.find((o) => o.toLowerCase() === answer.toLowerCase());
      return choice !== undefined ? `The user chose: ${choice}` : `The user answered: ${answer}`;
    },
  });
}

/** For runs nobody can answer: every question comes back unanswered with this reason. */
export function unattendedAsker(why = 'this run is not interactive, so no one can answer'): Asker {
  return { ask: async () => ({ unanswered: why }) };
}
