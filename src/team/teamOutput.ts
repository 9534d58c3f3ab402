import { costText } from '../shared/cost';
import type { TeamRunResult, TeamRunRow } from '../adapters/team/teamStore';
import type { TeamUsageSummary } from '../adapters/team/teamLedger';

const usd = (costUsd: number, unknown: boolean) => costText(costUsd, unknown);

export function renderRuns(runs: readonly TeamRunRow[]): string {
  if (runs.length === 0) return 'no team runs\n';
  const head = ['run', 'state', 'team', 'worker', 'calls', 'tokens', 'cost', 'task'];
  const rows = runs.map((r) => [
    r.runId,
    r.state + (r.pendingApprovals.length ? ` (${r.pendingApprovals.length} to approve)` : ''),
    r.team,
    r.worker ?? '-',
    String(r.usage.calls),
    String(r.usage.inputTokens + r.usage.outputTokens),
    usd(r.usage.costUsd, r.usage.costUnknown),
    r.task.length > 50 ? `${r.task.slice(0, 49)}…` : r.task,
  ]);
  const table = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return `${table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}

export function renderStatus(r: TeamRunRow): string {
  const lines = [
    `run      ${r.runId}`,
    `state    ${r.state}${r.attempts > 1 ? ` (started ${r.attempts} times: recovered after a worker stopped)` : ''}`,
    `team     ${r.team}`,
    `repo     ${r.repo}${r.ref ? ` @ ${r.ref}` : ''}${r.commit ? ` (${r.commit.slice(0, 12)})` : ''}`,
    `worker   ${r.worker ?? '-'}`,
    `usage    ${r.usage.calls} model calls, ${r.usage.inputTokens} in / ${r.usage.outputTokens} out tokens, ${usd(r.usage.costUsd, r.usage.costUnknown)}`,
    `task     ${r.task}`,
  ];
  if (r.error) lines.push(`error    ${r.error}`);
  for (const a of r.pendingApprovals) lines.push(`waiting  ${a.callId}  ${a.summary}  (${a.reasons.join('; ')})  → agent-harness team approve ${r.runId} ${a.callId}`);
  return `${lines.join('\n')}\n`;
}

export function renderResult(r: TeamRunRow, res: TeamRunResult): string {
  const out = [
    `run ${r.runId}: ${res.status}${res.error ? ` (${res.error})` : ''}`,
    `usage: ${res.usage.totalTokens} tokens, ${usd(res.usage.costUsd, res.usage.costUnknown === true)}, ${res.modelCalls} model calls`,
    `files changed: ${res.filesChanged.length ? res.filesChanged.join(', ') : 'none'}`,
    `commands run: ${res.commandsRun.length ? res.commandsRun.join('; ') : 'none'}`,
    '',
    res.output,
  ];
  if (res.patch) out.push('', '--- proposed patch (not applied or pushed anywhere) ---', res.patch.trimEnd());
  return `${out.join('\n')}\n`;
}

export function renderUsage(s: TeamUsageSummary): string {
  const lines: string[] = [];
  if (s.total.calls === 0) lines.push(`no model calls${s.since ? ` since ${s.since}` : ''}`);
  else {
    const head = [s.by, 'calls', 'input', 'output', 'cost USD'];
    const cells = (r: TeamUsageSummary['total']) => [r.key, String(r.calls), String(r.inputTokens), String(r.outputTokens), r.unpricedCalls ? `${r.costUsd.toFixed(4)} + unknown` : r.costUsd.toFixed(4)];
    const table = [head, ...s.rows.map(cells), cells(s.total)];
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  }
  for (const a of s.alerts) lines.push(`alert: team ${a.team} reached ${a.threshold}% of its day ${a.measure} budget on ${a.day} (${a.measure === 'cost' ? `$${a.used.toFixed(4)} of $${a.budget}` : `${a.used} of ${a.budget} tokens`})`);
  return `${lines.join('\n')}\n`;
}
