import { describe, expect, it } from 'vitest';
import { parseSkillMarkdown } from '../../../../src/core/skills/parseSkill';

describe('parseSkillMarkdown', () => {
  it('splits frontmatter and instructions and applies defaults', () => {
    const res = parseSkillMarkdown('---\nname: testing\ndescription: Write tests.\n---\n\n# Testing\nRun them.\n');
    expect(res).toEqual({
      ok: true,
      frontmatter: { name: 'testing', description: 'Write tests.', triggers: [], tools: [], commands: [] },
      instructions: '# Testing\nRun them.',
    });
  });

  it('accepts CRLF line endings, a BOM and unknown keys from other tools', () => {
    const res = parseSkillMarkdown('\uFEFF---\r\nname: a\r\ndescription: d\r\nlicense: MIT\r\ntriggers: [x, "y z"]\r\n---\r\nBody\r\n');
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.frontmatter.triggers).toEqual(['x', 'y z']);
      expect(res.instructions).toBe('Body');
    }
  });

  it('reports a file without frontmatter', () => {
    expect(parseSkillMarkdown('# Just markdown\n')).toEqual({ ok: false, reason: expect.stringContaining('must start with YAML frontmatter') });
  });

  it('reports frontmatter that is never closed', () => {
    expect(parseSkillMarkdown('---\nname: a\ndescription: b\n# no end\n')).toEqual({ ok: false, reason: expect.stringContaining('not closed') });
  });

  it('reports invalid YAML with the line number in the file', () => {
    const res = parseSkillMarkdown('---\nname: a\ndescription: [unclosed\n---\nBody\n');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/invalid YAML in the frontmatter \(line \d+\)/);
  });

  it('names the missing field', () => {
    const res = parseSkillMarkdown('---\nname: a\n---\nBody\n');
    expect(res).toEqual({ ok: false, reason: 'field "description" is required' });
  });

  it('rejects a badly formed name and a command pattern with shell syntax', () => {
    const res = parseSkillMarkdown('---\nname: My Skill\ndescription: d\ncommands: ["npm test && rm -rf /"]\n---\nBody\n');
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.reason).toContain('field "name"');
      expect(res.reason).toContain('field "commands.0"');
    }
  });

  it('rejects frontmatter that is not a mapping and a skill with no instructions', () => {
    expect(parseSkillMarkdown('---\n- a\n- b\n---\nBody\n').ok).toBe(false);
    expect(parseSkillMarkdown('---\nname: a\ndescription: b\n---\n\n')).toEqual({ ok: false, reason: expect.stringContaining('no instructions') });
  });

  it('rejects duplicate keys instead of silently taking one', () => {
    expect(parseSkillMarkdown('---\nname: a\nname: b\ndescription: c\n---\nBody\n').ok).toBe(false);
  });
});
