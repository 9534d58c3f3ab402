import { costText } from '../../shared/cost';
import { columnKey, type AttemptResult, type ColumnSummary, type EvalReport } from './evalResults';
import type { Comparison } from './gate';

/**
 * The eval report a person reads (`--report FILE.md|FILE.html`): cases down, model × profile across,
 * each cell the passes, cost and turns with the reasons of failures; the columns' pass rates with
 * their confidence intervals; the baseline comparison when there is one. The HTML is one
 * self-contained file (inline style, no scripts), every value escaped.
 */
interface Cell {
  passed: number;
  attempts: number;
  cost: number;
  turns: number;
  failures: string[];
}

function grid(report: EvalReport): { cases: string[]; columns: ColumnSummary[]; cell(c: string, col: ColumnSummary): Cell | undefined } {
  const cases = [...new Set(report.results.map((r) => r.case))];
  const cells = new Map<string, AttemptResult[]>();
  for (const r of report.results) {
    const k = `${r.case}\u0001${columnKey(r)}`;
    cells.set(k, [...(cells.get(k) ?? []), r]);
  }
  return {
    cases,
    columns: report.summary.columns,
    cell(c, col) {
      const rs = cells.get(`${c}\u0001${columnKey(col)}`);
      if (!rs) return undefined;
      return {
        passed: rs.filter((r) => r.passed).length,
        attempts: rs.length,
        cost: rs.reduce((s, r) => s + r.costUsd, 0),
        turns: rs.reduce((s, r) => s + r.turns, 0) / rs.length,
        failures: [...new Set(rs.flatMap((r) => r.failures))],
      };
    },
  };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const usd = (x: number, unknown?: boolean) => costText(x, unknown, 4);
const ci = (c: readonly [number, number]) => `${pct(c[0])}–${pct(c[1])}`;

export function renderMarkdown(report: EvalReport, comparison?: Comparison): string {
  const g = grid(report);
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`# Eval: ${esc(report.suite)}`, ''];
  const s = report.summary;
  lines.push(`${s.passed} of ${s.attempts} attempts passed (${pct(s.passRate)}, 95% CI ${ci(s.passRateCi95)}); cost ${usd(s.costUsd, s.costUnknown)}${s.costPerPass !== null ? `, ${usd(s.costPerPass, s.costUnknown)} per pass` : ''}; ${(s.durationMs / 1000).toFixed(1)} s.`, '');
  lines.push('| model / profile | passed | pass rate (95% CI) | cost | cost per pass | mean turns |', '| --- | --- | --- | --- | --- | --- |');
  for (const c of g.columns) {
    lines.push(`| ${esc(`${c.model} / ${c.profile}`)} | ${c.passed}/${c.attempts} | ${pct(c.passRate)} (${ci(c.passRateCi95)}) | ${usd(c.costUsd, c.costUnknown)} | ${c.costPerPass !== null ? usd(c.costPerPass, c.costUnknown) : '–'} | ${c.meanTurns.toFixed(1)} |`);
  }
  lines.push('', `| case | ${g.columns.map((c) => esc(`${c.model} / ${c.profile}`)).join(' | ')} |`, `| --- | ${g.columns.map(() => '---').join(' | ')} |`);
  for (const id of g.cases) {
    const cells = g.columns.map((col) => {
      const c = g.cell(id, col);
      if (!c) return '–';
      const mark = c.passed === c.attempts ? '✅' : c.passed === 0 ? '❌' : '⚠️';
      const why = c.failures.length ? `<br>${c.failures.map(esc).join('<br>')}` : '';
      return `${mark} ${c.passed}/${c.attempts} · ${usd(c.cost)} · ${c.turns.toFixed(1)} turns${why}`;
    });
    lines.push(`| ${esc(id)} | ${cells.join(' | ')} |`);
  }
  if (comparison) lines.push('', ...comparisonMarkdown(comparison, esc));
  return `${lines.join('\n')}\n`;
}

function comparisonMarkdown(c: Comparison, esc: (s: string) => string): string[] {
  const out = ['## Against the baseline', ''];
  if (c.regressions.length === 0) out.push('No regressions.');
  for (const r of c.regressions) out.push(`- **Regression:** ${esc(r)}`);
  for (const r of c.improvements) out.push(`- Improvement: ${esc(r)}`);
  for (const r of c.notes) out.push(`- ${esc(r)}`);
  return out;
}

export function renderHtml(report: EvalReport, comparison?: Comparison): string {
  const g = grid(report);
  const h = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const s = report.summary;
  const cols = g.columns.map((c) => `<th scope="col">${h(c.model)}<br><small>${h(c.profile)}</small></th>`).join('');
  const summaryRows = g.columns
    .map((c) => `<tr><th scope="row">${h(`${c.model} / ${c.profile}`)}</th><td>${c.passed}/${c.attempts}</td><td>${pct(c.passRate)} <small>(${ci(c.passRateCi95)})</small></td><td>${usd(c.costUsd, c.costUnknown)}</td><td>${c.costPerPass !== null ? usd(c.costPerPass, c.costUnknown) : '–'}</td><td>${c.meanTurns.toFixed(1)}</td></tr>`)
    .join('\n');
  const caseRows = g.cases
    .map((id) => {
      const tds = g.columns
        .map((col) => {
          const c = g.cell(id, col);
          if (!c) return '<td>–</td>';
          const cls = c.passed === c.attempts ? 'pass' : c.passed === 0 ? 'fail' : 'mixed';
          const why = c.failures.length ? `<ul>${c.failures.map((f) => `<li>${h(f)}</li>`).join('')}</ul>` : '';
          return `<td class="${cls}"><strong>${c.passed}/${c.attempts}</strong> · ${usd(c.cost)} · ${c.turns.toFixed(1)} turns${why}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${h(id)}</th>${tds}</tr>`;
    })
    .join('\n');
  const cmp = comparison
    ? `<h2>Against the baseline</h2>${comparison.regressions.length === 0 ? '<p>No regressions.</p>' : ''}<ul>${[
        ...comparison.regressions.map((r) => `<li class="fail"><strong>Regression:</strong> ${h(r)}</li>`),
        ...comparison.improvements.map((r) => `<li class="pass">Improvement: ${h(r)}</li>`),
        ...comparison.notes.map((r) => `<li>${h(r)}</li>`),
      ].join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eval: ${h(report.suite)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}
td.pass{background:#e7f6ea}td.fail{background:#fdecea}td.mixed{background:#fff6e0}li.fail{color:#9b1c1c}li.pass{color:#1e6b33}
ul{margin:.3rem 0 0 1rem;padding:0}small{color:#555}
</style></head><body>
<h1>Eval: ${h(report.suite)}</h1>
<p>${s.passed} of ${s.attempts} attempts passed (${pct(s.passRate)}, 95% CI ${ci(s.passRateCi95)}); cost ${usd(s.costUsd, s.costUnknown)}${s.costPerPass !== null ? `, ${usd(s.costPerPass, s.costUnknown)} per pass` : ''}; ${(s.durationMs / 1000).toFixed(1)} s.</p>
<table><thead><tr><th scope="col">model / profile</th><th scope="col">passed</th><th scope="col">pass rate (95% CI)</th><th scope="col">cost</th><th scope="col">cost per pass</th><th scope="col">mean turns</th></tr></thead>
<tbody>
${summaryRows}
</tbody></table>
<table><thead><tr><th scope="col">case</th>${cols}</tr></thead>
<tbody>
${caseRows}
</tbody></table>
${cmp}
</body></html>
`;
}
