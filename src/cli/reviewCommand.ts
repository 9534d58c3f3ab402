import { costText } from '../shared/cost';
import type { AgentEvent } from '../core/agent/events';
import type { UsageTotals } from '../core/model/usage';
import { FAIL_ON, reviewFails } from '../core/codeReview/failOn';
import { formatReview, REVIEW_FORMATS } from '../core/codeReview/formatReview';
import { GitError, type DiffSelection } from '../core/codeReview/gitPort';
import { ReviewError, runReview, unreviewedResult, type ReviewProgress } from '../core/codeReview/runReview';
import { GitCli } from '../adapters/git/gitCli';
import { createTextSearcher } from '../adapters/search/ripgrepLocator';
import { builtinSkillsDir, resolveProfileAndSource } from './cliSession';
import { asUsageErrorAsync, cliBudgets, GATEWAY_FLAG_OPTIONS, openCliGateway, parseGatewayFlags } from './gatewayFlags';
import { openModelFor } from '../core/session/assembleRun';
import { REVIEW_PROFILE } from '../core/codeReview/reviewPrompt';
import { UsageError, type CliIo } from './cliIo';
import { parseCliArgs, resolveWorkspace } from './cliArgs';
import { gatewayEndpointFromFlagsAndEnv } from './gatewayFromEnv';
import { isModelError } from '../core/model/errors';
import { confirmProtectedChanges } from './protectedChangesGate';

/**
 * Exit codes of `agent-harness review`, chosen so a CI step can tell a failed gate from a broken run:
 * 0 the review passed (or there was nothing to review), 1 the gate failed (a comment at or above
 * --fail-on, or request_changes), 2 a usage mistake (bad flag, not a git repository, unknown base ref,
 * no gateway configured), 4 the review could not be made (gateway failure, an answer that never
 * matched the schema, git failing).
 */
export const REVIEW_EXIT = { passed: 0, gateFailed: 1, usage: 2, reviewFailed: 4 } as const;

export const REVIEW_HELP = `agent-harness review [--workspace DIR] [--base REF | --staged] [--format markdown|json|sarif]
                     [--fail-on error|warning|never] [--gateway-url URL] [--protocol openai|anthropic] [--model NAME]
                     [--profile NAME] [--explore-turns N] [--max-diff-tokens N] [--accept-agent-changes]
                     [--sarif-category NAME] [--fallback-model NAME]... [--max-tokens N] [--max-cost USD] [--prices FILE]
Reviews uncommitted changes (staged, unstaged and untracked) against HEAD, or only staged changes
(--staged), or the working tree against the merge-base with REF (--base). Prints the review on stdout;
progress, usage and cost go to stderr. Git runs with the repository's program-running settings switched
off; in a workspace where the agent's commands changed protected files it first needs a person to confirm
(a terminal answer, or --accept-agent-changes). Exit: 0 passed, 1 a comment at or above --fail-on (default error)
or request_changes, 2 usage error, 4 the review failed.
`;

const OPTIONS = {
  workspace: { type: 'string' },
  base: { type: 'string' },
  staged: { type: 'boolean', default: false },
  format: { type: 'string', default: 'markdown' },
  'fail-on': { type: 'string', default: 'error' },
  'gateway-url': { type: 'string' },
  protocol: { type: 'string' },
  model: { type: 'string' },
  profile: { type: 'string' },
  'explore-turns': { type: 'string' },
  'max-diff-tokens': { type: 'string' },
  'accept-agent-changes': { type: 'boolean', default: false },
  'sarif-category': { type: 'string' },
  ...GATEWAY_FLAG_OPTIONS,
  help: { type: 'boolean', default: false },
} as const;

export async function runReviewCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, OPTIONS, true);
  if (args.values.help) {
    io.stdout(REVIEW_HELP);
    return REVIEW_EXIT.passed;
  }
  if (args.positionals.length > 0) throw new UsageError(`review takes no arguments, got "${args.positionals.join(' ')}"; see agent-harness review --help`);
  const format = oneOf(args.values.format, REVIEW_FORMATS, '--format');
  const failOn = oneOf(args.values['fail-on'], FAIL_ON, '--fail-on');
  if (args.values.staged && args.values.base !== undefined) throw new UsageError('--base and --staged cannot be combined: choose one diff to review');
  if (args.values.base !== undefined && args.values.base.trim() === '') throw new UsageError('--base needs a branch, tag or commit');
  const selection: DiffSelection = args.values.staged ? { kind: 'staged' } : args.values.base !== undefined ? { kind: 'branch', base: args.values.base.trim() } : { kind: 'uncommitted' };
  const exploreTurns = args.values['explore-turns'] !== undefined ? wholeNumber(args.values['explore-turns'], '--explore-turns', 0) : undefined;
  const chunkTokens = args.values['max-diff-tokens'] !== undefined ? wholeNumber(args.values['max-diff-tokens'], '--max-diff-tokens', 1) : undefined;
  const root = await resolveWorkspace(args.values.workspace ?? process.cwd());
  await confirmProtectedChanges(root, io, args.values['accept-agent-changes']);
  const git = new GitCli({ cwd: root });

  try {
    const diff = await git.diff(selection);
    if (diff.files.length === 0) {
      // Nothing to review needs no gateway, so a CI run on a clean tree needs no model settings.
      io.stderr(`agent-harness: nothing to review: there are no ${diff.description}\n`);
      io.stdout(formatReview(unreviewedResult(diff), format, { toolVersion: VERSION, ...(args.values['sarif-category'] ? { category: args.values['sarif-category'] } : {}) }));
      return REVIEW_EXIT.passed;
    }
    // The same governed gateway as a run: ledger (as a review), trace, budgets, retries, fallbacks, breakers.
    const { profile, builtIn } = await resolveProfileAndSource(root, args.values.profile ?? REVIEW_PROFILE);
    const endpoint = gatewayEndpointFromFlagsAndEnv({ gatewayUrl: args.values['gateway-url'], protocol: args.values.protocol }, io.env);
    const flags = await parseGatewayFlags(args.values);
    const gateway = await openCliGateway({ ...endpoint, flags, env: io.env, onNotice: (t) => io.stderr(`agent-harness: ${t}\n`) });
    let opened;
    try {
      opened = await asUsageErrorAsync(() => openModelFor(gateway.openModel, { model: args.values.model ?? profile.model, budgets: cliBudgets(flags, io.env), label: { kind: 'review', profile: profile.name } }, { profile, builtIn }));
    } catch (e) {
      await gateway.finish();
      throw e;
    }
    for (const n of opened.notices) io.stderr(`agent-harness: ${n}\n`);
    const model = opened.model;
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await runReview({
        root,
        git,
        diff,
        selection,
        model,
        builtinSkillsDir: builtinSkillsDir(),
        profileName: args.values.profile,
        searcher: await createTextSearcher(),
        ...(exploreTurns !== undefined ? { exploreTurns } : {}),
        ...(chunkTokens !== undefined ? { budget: { chunkTokens } } : {}),
        signal: controller.signal,
        sinks: [...opened.sinks, toolProgress(io)],
        onProgress: (p) => io.stderr(progressLine(p)),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      await gateway.finish();
    }
    io.stdout(formatReview(result, format, { toolVersion: VERSION, ...(args.values['sarif-category'] ? { category: args.values['sarif-category'] } : {}) }));
    io.stderr(`agent-harness: review ${result.recommendation}, ${result.comments.length} comment(s); ${usageLine(result.usage)}\n`);
    if (result.skipped.length > 0) io.stderr(`agent-harness: ${result.skipped.length} file(s) not reviewed: ${result.skipped.slice(0, 5).map((x) => x.path).join(', ')}${result.skipped.length > 5 ? ', …' : ''} (the review lists them with the reason)\n`);
    for (const n of result.notes) io.stderr(`agent-harness: note: ${n}\n`);
    return reviewFails(result, failOn) ? REVIEW_EXIT.gateFailed : REVIEW_EXIT.passed;
  } catch (e) {
    if (e instanceof GitError) {
      io.stderr(`agent-harness: ${e.message}\n`);
      return e.kind === 'git_failed' ? REVIEW_EXIT.reviewFailed : REVIEW_EXIT.usage;
    }
    if (e instanceof ReviewError) {
      io.stderr(`agent-harness: ${e.message}\nagent-harness: ${usageLine(e.usage)}\n`);
      return REVIEW_EXIT.reviewFailed;
    }
    if (isModelError(e)) {
      io.stderr(`agent-harness: ${e.message}\n`);
      return REVIEW_EXIT.reviewFailed;
    }
    throw e;
  }
}

function toolProgress(io: CliIo) {
  return (ev: AgentEvent) => {
    if (ev.type === 'tool_call_started') io.stderr(`  → ${ev.name} ${ev.arguments.length > 120 ? `${ev.arguments.slice(0, 119)}…` : ev.arguments}\n`);
  };
}

function progressLine(p: ReviewProgress): string {
  if (p.type === 'diff') return `agent-harness: reviewing ${p.description}: ${p.files} file(s) in ${p.parts} part(s)${p.skipped ? `, ${p.skipped} skipped` : ''}\n`;
  const part = p.parts > 1 ? ` (part ${p.part} of ${p.parts})` : '';
  return p.type === 'exploring' ? `agent-harness: reading the workspace${part}\n` : `agent-harness: writing the review${part}\n`;
}

function usageLine(u: UsageTotals): string {
  return `tokens in ${u.inputTokens}, out ${u.outputTokens}, cache read ${u.cacheReadTokens}, cache write ${u.cacheWriteTokens}; cost ${costText(u.costUsd, u.costUnknown, 4)}`;
}

function oneOf<T extends string>(v: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
}

function wholeNumber(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${v}"`);
  return n;
}


declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
