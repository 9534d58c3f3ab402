import { describe, expect, it } from 'vitest';
import { MAX_INLINE_INSTRUCTIONS, renderSkillsPrompt } from '../../../../src/core/skills/renderSkillsPrompt';
import { selectSkills } from '../../../../src/core/skills/selectSkills';
import { makeSkill } from './skillFixtures';

const skills = ['zeta', 'alpha', 'mid'].map((n) => makeSkill({ name: n, description: `The ${n} skill\nspans lines.`, triggers: [n], instructions: `Steps for ${n}.` }));

describe('renderSkillsPrompt', () => {
  it('lists every skill by name and one-line description, sorted, and inlines the selected ones', () => {
    const selected = selectSkills(skills, 'do the mid thing');
    const out = renderSkillsPrompt(skills, selected, 2000);
    expect(out).toContain('- alpha: The alpha skill spans lines.\n- mid (active, instructions below): The mid skill spans lines.\n- zeta: The zeta skill spans lines.\n');
    expect(out).toContain("## Skill: mid\n(selected because trigger 'mid' matched; description relevance 0.53: mid)\n\nSteps for mid.\n");
    expect(out).not.toContain('Steps for alpha');
    expect(out).toContain('load_skill');
  });

  it('keeps the list within the budget and says how many were left out', () => {
    const many = Array.from({ length: 40 }, (_, i) => makeSkill({ name: `skill-${String(i).padStart(2, '0')}`, description: 'x'.repeat(60) }));
    const out = renderSkillsPrompt(many, [], 500);
    const listed = out.split('\n').filter((l) => /^- skill-\d\d: /.test(l));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.join('\n').length + listed.length).toBeLessThanOrEqual(500);
    expect(out).toContain(`- ... ${40 - listed.length} more skills not listed to save space; load_skill accepts any skill name.`);
    expect(listed[0]).toMatch(/^- skill-00:/);
  });

  it('shortens a long description to one line', () => {
    const long = makeSkill({ name: 'long', description: 'word '.repeat(100) });
    const line = renderSkillsPrompt([long], [], 2000).split('\n').find((l) => l.startsWith('- long:'))!;
    expect(line.length).toBeLessThanOrEqual('- long: '.length + 160);
    expect(line.endsWith('...')).toBe(true);
  });

  it('cuts oversized instructions with a note pointing at load_skill', () => {
    const big = makeSkill({ name: 'big', description: 'Big.', triggers: ['big'], instructions: 'y'.repeat(MAX_INLINE_INSTRUCTIONS + 10) });
    const out = renderSkillsPrompt([big], selectSkills([big], 'big'), 2000);
    expect(out).toContain(`[instructions cut at ${MAX_INLINE_INSTRUCTIONS} characters; call load_skill {"name": "big"} for the full text]`);
    expect(out).not.toContain('y'.repeat(MAX_INLINE_INSTRUCTIONS + 1));
  });

  it('is byte-stable whatever the input order', () => {
    const a = renderSkillsPrompt(skills, selectSkills(skills, 'alpha and zeta'), 2000);
    const b = renderSkillsPrompt([...skills].reverse(), selectSkills([...skills].reverse(), 'alpha and zeta').reverse(), 2000);
    expect(b).toBe(a);
  });

  it('renders nothing when there are no skills', () => {
    expect(renderSkillsPrompt([], [], 2000)).toBe('');
  });
});
