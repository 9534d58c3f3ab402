import { UsageLedger } from '../adapters/ledger/usageLedger';
import { cliStateLocation } from '../adapters/ledger/stateLocation';
import { summarizeUsage, UsageGroupingSchema, type UsageSummary, type UsageSummaryRow } from '../adapters/ledger/summarizeUsage';
import { createRedactor } from '../core/trace/redact';
import { EXIT, UsageError, type CliIo } from './cliIo';
import { parseCliArgs } from './cliArgs';

const OPTIONS = {
  since: { type: 'string' },
  by: { type: 'string', default: 'model' },
  json: { type: 'boolean', default: false },
  dir: { type: 'string' },
} as const;

/**
 * `agent-harness usage [--since DATE] [--by model|profile|skill|day] [--json] [--dir DIR]`:
 * sums the usage ledger. The ledger folder is always named on stderr, so a person knows what was read.
 */
export async function runUsageCommand(argv: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const args = parse(argv);
  const by = UsageGroupingSchema.safeParse(args.values.by);
  if (!by.success) throw new UsageError(`--by must be one of model, profile, skill, day; got "${args.values.by}"`);
  const since = args.values.since !== undefined ? parseSince(args.values.since, now()) : undefined;
  const dir = args.values.dir ?? io.env.AGENT_HARNESS_USAGE_DIR ?? cliStateLocation(io.env).usageDir;
  const ledger = new UsageLedger(dir, createRedactor());
  const { rows, skipped } = await ledger.read({ since });
  const summary = summarizeUsage(rows, { by: by.data, since });
  io.stderr(`agent-harness: usage ledger ${dir}${skipped > 0 ? ` (${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped)` : ''}\n`);
  if (args.values.json) io.stdout(`${JSON.stringify({ ledger: dir, skippedLines: skipped, ...summary })}\n`);
  else io.stdout(render(summary));
  return EXIT.ok;
}

function parse(argv: string[]) {
  return parseCliArgs(argv, OPTIONS, false);
}

/** `2026-11-01` (local midnight), a full ISO time, or a relative `7d` / `12h`. */
export function parseSince(v: string, now: Date): Date {
  const rel = /^(\d+)([dh])$/.exec(v.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'd' ? 86_400_000 : 3_600_000));
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (day) {
    const d = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (d.getMonth() === Number(day[2]) - 1 && d.getDate() === Number(day[3])) return d;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(v.trim())) {
    const t = Date.parse(v.trim());
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new UsageError(`--since must be a date (2026-11-01), an ISO time, or a span like 7d or 12h; got "${v}"`);
}

function render(s: UsageSummary): string {
  if (s.total.calls === 0) return `no model calls${s.since ? ` since ${s.since}` : ''}\n`;
  const head = [s.by, 'calls', 'failed', 'input', 'output', 'cache read', 'cache write', 'cost USD', 'avg ms'];
  const cells = (r: UsageSummaryRow) => [
    r.key,
    String(r.calls),
    String(r.failed),
    String(r.inputTokens),
    String(r.outputTokens),
    String(r.cacheReadTokens),
    String(r.cacheWriteTokens),
    r.unpricedCalls === 0 ? r.costUsd.toFixed(4) : r.costUsd > 0 ? `${r.costUsd.toFixed(4)} + unknown` : 'unknown',
    String(Math.round(r.avgLatencyMs)),
  ];
  const table = [head, ...s.rows.map(cells), cells(s.total)];
  const widths = head.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(head), ...s.rows.map((r) => line(cells(r))), line(cells(s.total))];
  return `${out.join('\n')}\n`;
}
