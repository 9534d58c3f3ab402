import { columnKey, type AttemptResult, type EvalReport } from './evalResults';
import type { Gate } from './suite';

/**
 * The comparison of an eval run with a baseline (an earlier `--json` output). A regression is a pass
 * rate that fell by more than the gate allows (with the default 0, any case that passed before and
 * fails now) or a cost per passed attempt that rose by more than it allows. Only the same model ×
 * profile is compared; columns on one side only are noted, not judged.
 */
export interface Comparison {
  regressions: string[];
  improvements: string[];
  notes: string[];
}

export function compareWithBaseline(current: EvalReport, baseline: EvalReport, gate: Gate): Comparison {
  const out: Comparison = { regressions: [], improvements: [], notes: [] };
  const before = new Map(baseline.summary.columns.map((c) => [columnKey(c), c]));
  const seen = new Set<string>();
  for (const now of current.summary.columns) {
    const key = columnKey(now);
    const was = before.get(key);
    const label = `${now.model} / ${now.profile}`;
    if (!was) {
      out.notes.push(`${label}: not in the baseline, not compared`);
      continue;
    }
    seen.add(key);
    const drop = was.passRate - now.passRate;
    if (drop > gate.max_pass_rate_drop + 1e-9) {
      out.regressions.push(`${label}: pass rate ${pct(was.passRate)} -> ${pct(now.passRate)} (${now.passed}/${now.attempts}), more than the allowed drop of ${pct(gate.max_pass_rate_drop)}`);
    } else if (drop < 0) {
      out.improvements.push(`${label}: pass rate ${pct(was.passRate)} -> ${pct(now.passRate)}`);
    }
    if (gate.max_pass_rate_drop === 0) {
      for (const r of caseRegressions(baseline.results, current.results, now.model, now.profile)) out.regressions.push(`${label}: ${r}`);
    }
    if (was.costUnknown || now.costUnknown) {
      out.notes.push(`${label}: cost per pass not compared, a model's price is unknown`);
    } else if (was.costPerPass !== null && now.costPerPass !== null && was.costPerPass > 0) {
      const rise = (now.costPerPass - was.costPerPass) / was.costPerPass;
      if (rise > gate.max_cost_increase + 1e-9) {
        out.regressions.push(`${label}: cost per pass $${usd(was.costPerPass)} -> $${usd(now.costPerPass)} (+${pct(rise)}), more than the allowed ${pct(gate.max_cost_increase)}`);
      } else if (rise < -0.05) {
        out.improvements.push(`${label}: cost per pass $${usd(was.costPerPass)} -> $${usd(now.costPerPass)}`);
      }
    }
  }
  for (const was of baseline.summary.columns) {
    if (!seen.has(columnKey(was)) && !current.summary.columns.some((c) => columnKey(c) === columnKey(was))) {
      out.notes.push(`${was.model} / ${was.profile}: in the baseline only, not compared`);
    }
  }
  return out;
}

/** Cases of one column whose pass rate fell, each with why they fail now. */
function caseRegressions(before: readonly AttemptResult[], now: readonly AttemptResult[], model: string, profile: string): string[] {
  const rate = (rs: readonly AttemptResult[], id: string) => {
    const mine = rs.filter((r) => r.case === id && r.model === model && r.profile === profile);
    return mine.length ? { rate: mine.filter((r) => r.passed).length / mine.length, results: mine } : undefined;
  };
  const ids = [...new Set(now.map((r) => r.case))];
  const out: string[] = [];
  for (const id of ids) {
    const a = rate(before, id);
    const b = rate(now, id);
    if (!a || !b || b.rate >= a.rate) continue;
    const why = [...new Set(b.results.flatMap((r) => r.failures))].slice(0, 3).join('; ');
    out.push(`case ${id} passed ${pct(a.rate)} before, ${pct(b.rate)} now${why ? ` (${why})` : ''}`);
  }
  return out;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const usd = (x: number) => x.toFixed(4);
