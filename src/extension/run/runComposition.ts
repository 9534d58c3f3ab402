import path from 'node:path';
import * as vscode from 'vscode';
import type { EventSink } from '../../core/agent/events';
import type { RunLimits } from '../../core/agent/limits';
import type { RunJournal } from '../../core/journal/journalRecord';
import type { Sandbox } from '../../core/ports';
import type { AskUserAnswer } from '../../core/tools/askUser';
import type { ApprovalRequest, ApprovalResponse } from '../../core/policy/approvalsWrapper';
import type { StandingGrant } from '../../core/policy/approvalsGrants';
import type { GatewayServices } from '../../adapters/gateway/resilience/productionGateway';
import type { ResumeSession } from '../../adapters/journal/resumeRun';
import type { ProposalsView } from '../proposals/proposalsView';
import type { ExtensionSettings, GatewayChoice } from '../gateway/extensionSettings';
import type { GatewayHost } from '../gateway/gatewayHost';
import type { PanelAction } from '../panel/panelReducer';

export const GRANTS_KEY = 'agentHarness.grants.v1';

/** What the controller lends a run: its panel, prompts, sandbox and storage. */
export interface RunHost {
  readonly context: vscode.ExtensionContext;
  readonly proposals: ProposalsView;
  readonly log: vscode.OutputChannel;
  readonly gateways: GatewayHost;
  dispatch(action: PanelAction): void;
  /** `itemId`: the panel item that holds the question (a re-run question on resume has its own). */
  askApproval(r: ApprovalRequest, where: string | undefined, signal: AbortSignal, itemId?: string): Promise<ApprovalResponse>;
  askQuestion(callId: string, question: string, options: string[], signal: AbortSignal): Promise<AskUserAnswer>;
  openSandbox(settings: ExtensionSettings, root: string): Promise<{ ok: true; sandbox: Sandbox } | { ok: false; message: string }>;
  checkpointDir(): string;
  /** Told when the window's gateway services are (re)built, so the panel redacts with them. */
  onServices(services: GatewayServices): void;
}

export interface ComposeInput {
  runId: string;
  task: string;
  root: string;
  settings: ExtensionSettings;
  gateway: GatewayChoice;
  key: string | undefined;
  /** The model picked in the panel (or the one a resumed run had); else the profile's, else the settings'. */
  model?: string;
  signal: AbortSignal;
  /** The run's journal, once it exists (a resumed run's writer is opened by resumeRun). */
  journal: () => RunJournal | undefined;
  /** The panel's and the log's sinks; the gateway's come first. */
  sinks: EventSink[];
  /** Laps for the run log's start-up line. */
  watch?: { lap(name: string): void };
}

export interface ComposedRun {
  /** Everything runAgent needs besides the task, run id, history, limits and journal. */
  session: ResumeSession;
  limits: Partial<RunLimits>;
  services: GatewayServices;
  /** Stops what the run started for itself (its MCP servers). */
  dispose(): Promise<void>;
}

/**
 * The extension's composition root for one run, new or resumed: the window's gateway services and a
 * resilient client for this run (fallbacks, budgets, ledger, trace), the session (tools, prompt,
 * sandbox, diff review), and approvals journaled around the panel's question, so a question pending
 * when the window reloads is asked again on resume.
 */
export async function composeRun(host: RunHost, input: ComposeInput): Promise<ComposedRun> {
  const { runId, task, root, settings } = input;
  const trusted = vscode.workspace.isTrusted;
  // The SDKs, dockerode and the core load here, on the first run, never at activation.
  const [{ buildRunSession }, { createTextSearcher }, { Checkpoint }, { PathGuard }, { workspaceEditApplyPort, conflictBeforeReview }, picomatch, { GrantStore }, { approvalJournal }, { extensionBudgets }, { autoApprover }, { createStreamRedactor }, { envFileSecrets }] = await Promise.all([
    import('./runSession'),
    import('../../adapters/search/ripgrepLocator'),
    import('../../core/edits/checkpoint'),
    import('../../core/policy/pathGuard'),
    import('../proposals/workspaceApply'),
    import('picomatch'),
    import('../../core/policy/approvalsGrants'),
    import('../../core/journal/approvalJournal'),
    import('../gateway/gatewayHost'),
    import('../../core/policy/autoApproval'),
    import('../../core/trace/redact'),
    import('../../adapters/secrets/envFileSecrets'),
  ]);
  const lap = (name: string) => input.watch?.lap(name);
  lap('imports');
  const { TrustStore } = await import('../../adapters/trust/trustStore');
  const trustStore = new TrustStore(path.join(host.context.globalStorageUri.fsPath, 'trust.json'));
  // MCP servers from .agent-harness/mcp.json, as in the CLI: never in an untrusted workspace, and a
  // server that starts a program on this machine only once a person allowed that exact command.
  const { openMcpSession } = await import('../../adapters/mcp/openMcpSession');
  const mcp = await openMcpSession({
    workspaceRoot: root,
    workspaceTrusted: trusted,
    env: process.env,
    approveServer: async (server) => {
      if (await trustStore.has('mcpServers', server.hash)) return true;
      const allow = 'Allow this server';
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: the workspace MCP server "{0}" starts "{1}" on this machine. Allow it?', server.name, server.commandLine), { modal: true }, allow);
      if (answer !== allow) return false;
      await trustStore.add('mcpServers', server.hash, `MCP server ${server.name}: ${server.commandLine}`);
      return true;
    },
  });
  lap('mcp');
  for (const p of mcp.problems) host.dispatch({ type: 'notice', id: `mcp:${runId}:${p}`, level: 'warning', text: p });
  if (mcp.servers.length > 0) host.log.appendLine(`[mcp] ${mcp.servers.map((s) => `${s.name} (${s.transport}, ${s.tools} tools)`).join(', ')}`);
  try {
    const services = await host.gateways.services(input.key, input.gateway);
    host.onServices(services);
    // The workspace's .env values are kept out of the panel, the log, journals and traces, like the key.
    for (const secret of await envFileSecrets(root)) services.redact.addSecret(secret);
    lap('services');
    const tier = settings['approvals.autoApprove'];
    const checkpoint = await Checkpoint.open({ storeDir: host.checkpointDir(), runId, root });
    lap('checkpoint');
    const guard = new PathGuard(root);
    const applyInEditor = workspaceEditApplyPort({ guard, ...checkpoint.hooks() });
    const autoGlobs = settings['approvals.autoApproveEdits'];
    // A tier from `edits` up applies every edit without the diff view; protected files still ask.
    const autoMatch = tier !== 'off' ? () => true : autoGlobs.length > 0 ? picomatch.default(autoGlobs, { dot: true }) : undefined;
    const sandbox = trusted ? await host.openSandbox(settings, root) : { ok: false as const, message: 'the workspace is not trusted' };
    const where = sandbox.ok ? sandbox.sandbox.describe() : undefined;
    lap('sandbox');
    const state = host.context.workspaceState;
    const grants = new GrantStore(state.get<StandingGrant[]>(GRANTS_KEY) ?? [], (g) => void state.update(GRANTS_KEY, g));
    const outputStreams = streamsByCall(() => createStreamRedactor(services.redact));
    const journalApprovals = {
      asked: (callId: string, summary: string) => approvalJournal(input.journal()).asked(callId, summary),
      decided: (callId: string, d: 'approved' | 'rejected', summary: string) => approvalJournal(input.journal()).decided(callId, d, summary),
    };
    const session = await buildRunSession({
      root,
      task,
      settings,
      trusted,
      // The one gateway factory with the window's services; the panel's picked model, else the profile's, else the settings'.
      openModel: host.gateways.modelFactory(services, { gateway: input.gateway, key: input.key, ...(where ? { sandboxSession: () => where } : {}) }),
      ...(input.model !== undefined ? { model: input.model } : {}),
      budgets: extensionBudgets(settings),
      extraTools: mcp.tools,
      toolApprovals: mcp.toolApprovals,
      builtinSkillsDir: path.join(host.context.extensionPath, 'skills'),
      wasmDirs: [path.join(host.context.extensionPath, 'dist')],
      searcher: await createTextSearcher({ vscodeAppRoot: vscode.env.appRoot }),
      sandbox,
      grants,
      reviewFile: async (file, signal) => host.proposals.present(file, signal ?? input.signal, await conflictBeforeReview(root, file)),
      applyWith: async (set, paths) => {
        const results = await applyInEditor(set, paths);
        for (const r of results.filter((x) => x.status === 'conflict' || x.status === 'refused')) {
          host.dispatch({ type: 'notice', id: `conflict:${runId}:${r.path}:${Date.now()}`, level: 'warning', text: r.message });
          void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: {0}', r.message));
        }
        return results;
      },
      // What the auto-approval tier covers is approved; the rest is asked in the panel.
      approver: autoApprover(tier, {
        request: async (r, signal) => {
          const summary = approvalSummary(r);
          journalApprovals.asked(r.callId, summary);
          const answer = await host.askApproval(r, where, signal);
          // A question cut off by a stop or a window reload stays "asked" in the journal, so a resume asks it again.
          if (!signal.aborted) journalApprovals.decided(r.callId, answer.approved ? 'approved' : 'rejected', summary);
          return answer;
        },
      }),
      onCommandOutput: (chunk, callId) => {
        // Redacted as a stream, so a key split across two chunks of output is still caught.
        const safe = outputStreams.push(callId, chunk);
        if (!safe) return;
        host.dispatch({ type: 'tool_output', runId, callId, chunk: safe });
        host.log.append(safe);
      },
      // A workspace skill that grants tools or commands is asked about once per exact content.
      trustSkills: async (skills) => {
        const trusted = new Set<string>();
        for (const s of skills) {
          if (await trustStore.has('skills', s.contentHash)) {
            trusted.add(s.contentHash);
            continue;
          }
          const grants = [...s.commands.map((c) => `"${c}"`), ...s.tools].join(', ');
          const yes = 'Trust this version';
          const answer = await vscode.window.showWarningMessage(
            `Agent Harness: the workspace skill "${s.name}" (${s.source}) grants ${grants}. Its instructions are used either way; trust its grants?`,
            { modal: true },
            yes,
          );
          if (answer === yes) {
            await trustStore.add('skills', s.contentHash, `skill ${s.name} (${s.source})`);
            trusted.add(s.contentHash);
          }
        }
        return trusted;
      },
      onTaint: (t) => {
        const text = `Auto-approval is suspended for this run: ${t.source} contained ${t.what}. Commands that can run code or reach the network now ask you.`;
        host.dispatch({ type: 'notice', id: `taint:${runId}`, level: 'warning', text });
        host.log.appendLine(`[taint] ${text}`);
      },
      asker: { ask: (r, signal) => host.askQuestion(r.callId, r.question, r.options ?? [], signal) },
      ...(autoMatch ? { autoApprove: (p: string) => autoMatch(p) } : {}),
    });
    lap('session');
    for (const n of session.notices) host.dispatch({ type: 'notice', id: `notice:${runId}:${n}`, level: 'warning', text: n });
    return {
      services,
      dispose: () => mcp.close(),
      limits: session.run.limits,
      session: {
        ...withoutLimits(session.run),
        signal: input.signal,
        // The gateway's sinks first: they give the ledger its run and step and write the trace. What a
        // command's output stream held back (an unfinished last line) is let out when its call ends.
        sinks: [
          ...session.run.sinks,
          (ev) => {
            if (ev.type !== 'tool_call_finished') return;
            const rest = outputStreams.end(ev.callId);
            if (rest) host.dispatch({ type: 'tool_output', runId, callId: ev.callId, chunk: rest });
          },
          ...input.sinks,
        ],
        context: {},
      },
    };
  } catch (e) {
    // A run that could not be assembled stops the servers it started.
    await mcp.close();
    throw e;
  }
}

function withoutLimits<T extends { limits: unknown }>(run: T): Omit<T, 'limits'> {
  const { limits: _limits, ...rest } = run;
  return rest;
}

/** One stream redactor per tool call, so two calls' output never mix in a held-back tail. */
function streamsByCall(make: () => { push(chunk: string): string; flush(): string }) {
  const streams = new Map<string, { push(chunk: string): string; flush(): string }>();
  return {
    push(callId: string, chunk: string): string {
      let s = streams.get(callId);
      if (!s) streams.set(callId, (s = make()));
      return s.push(chunk);
    },
    end(callId: string): string {
      const s = streams.get(callId);
      streams.delete(callId);
      return s ? s.flush() : '';
    },
  };
}

function approvalSummary(r: ApprovalRequest): string {
  const args = (r.args ?? {}) as Record<string, unknown>;
  const subject = typeof args.command === 'string' ? args.command : typeof args.path === 'string' ? args.path : '';
  return `${r.tool}${subject ? ` ${subject.slice(0, 200)}` : ''}`;
}
