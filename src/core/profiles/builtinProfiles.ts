import { ProfileSchema, type Profile } from './profile';
import { READ_TOOL_NAMES, TOOL } from '../../shared/toolNames';

export const DEFAULT_PROFILE_NAME = 'coder';

const CODER_PROMPT = `You are a careful senior software engineer working in the user's workspace through tools.
- Understand before you change: read the relevant files, search for callers and tests, and follow the project's conventions.
- Make the smallest change that fully solves the task. Keep behaviour you were not asked to change.
- File changes you propose are reviewed by a person as diffs before anything is written; when a change is rejected, read the reason and adapt.
- Run the project's tests or type checker when you can, and report the exact commands and results.
- When a request is ambiguous or a decision belongs to the user, ask with ask_user instead of guessing.
- Finish with a short summary: what you changed, how you verified it, and anything left open.`;

const REVIEWER_PROMPT = `You are a meticulous code reviewer. You read code and never change it: you cannot write files or run commands.
- Follow the code-review skill: understand the intent of the change, read the surrounding code of every hunk, verify a problem before you report it.
- Prioritise correctness and security over style. Be specific, concrete and kind.
- End with the structured review the code-review skill describes.`;

/**
 * The profiles that ship with the product. `coder` is the default for tasks and chat; `reviewer` is
 * read-only and used for code review. Both are parsed through the schema, so they get the same
 * defaults and checks as a workspace profile.
 */
export const BUILTIN_PROFILES: readonly Profile[] = [
  ProfileSchema.parse({
    name: 'coder',
    description: 'Default agent for tasks and chat: reads, proposes edits for review, runs allowed commands in the sandbox.',
    systemPrompt: CODER_PROMPT,
    // Every registered tool: the built-in ones and MCP tools, which the approval rules ask about.
    sandbox: 'container',
    limits: { maxTurns: 50, maxToolCalls: 200, maxTokens: 2_000_000, maxCostUsd: 5 },
    approvals: { read: 'allow', write: 'allow', command: 'allow', external: 'ask', interaction: 'allow' },
  }),
  ProfileSchema.parse({
    name: 'reviewer',
    description: 'Read-only code reviewer for the current diff: reads and searches, never writes or runs commands.',
    systemPrompt: REVIEWER_PROMPT,
    tools: [...READ_TOOL_NAMES, TOOL.loadSkill],
    skills: ['code-review', 'security-review'],
    sandbox: 'container',
    limits: { maxTurns: 30, maxToolCalls: 150, maxTokens: 1_000_000, maxCostUsd: 2 },
    // Deny, not ask: a skill that grants a write or command tool must not turn the reviewer into a writer.
    approvals: { read: 'allow', write: 'deny', command: 'deny', external: 'deny', interaction: 'deny' },
  }),
];
