import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits } from '../../../../src/core/edits/match';
import { describeEditFailure } from '../../../../src/core/edits/editFeedback';
import { EDIT_CASES, type EditCase } from './peerEditCases';

/**
 * The corpus of edit cases of the kinds peer agents test (issue 17): every case gives the text a
 * careful peer produces, or is refused where applying anything could be wrong. Never applied where a
 * refusal is expected, never a different text.
 */
function run(c: EditCase): { ok: true; content: string } | { ok: false; message: string } {
  if (c.edits) {
    const r = applyEdits(c.file, c.edits.map((e) => ({ oldString: e.old, newString: e.new })));
    return r.ok ? { ok: true, content: r.content } : { ok: false, message: describeEditFailure('f', r.failure) };
  }
  const r = applyEdit(c.file, { oldString: c.old, newString: c.new, replaceAll: c.replaceAll === true });
  return r.ok ? { ok: true, content: r.content } : { ok: false, message: describeEditFailure('f', r) };
}

describe('the peer edit corpus', () => {
  it.each(EDIT_CASES.map((c) => [`${c.kind}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const r = run(c);
    if (c.expected === 'refuse') {
      expect(r.ok, r.ok ? `applied where a refusal is expected:\n${r.content}` : '').toBe(false);
    } else {
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      if (r.ok) expect(r.content).toBe(c.expected);
    }
  });

  it('meets the goal: at least 95% as expected, no wrong text, no apply where a refusal is expected', () => {
    let right = 0;
    let wrongText = 0;
    let appliedWhereRefused = 0;
    for (const c of EDIT_CASES) {
      const r = run(c);
      if (c.expected === 'refuse') {
        if (r.ok) appliedWhereRefused++;
        else right++;
      } else if (r.ok) {
        if (r.content === c.expected) right++;
        else wrongText++;
      }
    }
    console.log(`edit corpus: ${right}/${EDIT_CASES.length} as expected (${((100 * right) / EDIT_CASES.length).toFixed(1)}%), wrong text ${wrongText}, applied where refused ${appliedWhereRefused}`);
    expect(wrongText).toBe(0);
    expect(appliedWhereRefused).toBe(0);
    expect(right / EDIT_CASES.length).toBeGreaterThanOrEqual(0.95);
  });
});
