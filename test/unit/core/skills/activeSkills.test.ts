import { describe, expect, it } from 'vitest';
import { ActiveSkills } from '../../../../src/core/skills/activeSkills';
import { selectSkills } from '../../../../src/core/skills/selectSkills';
import { grantsFor } from '../../../../src/core/skills/skillGrants';
import { makeSkill } from './skillFixtures';

const testing = makeSkill({ name: 'testing', description: 'unit suites', triggers: ['test'], tools: ['run_command'], commands: ['npm test', 'npx vitest run'] });
const lint = makeSkill({ name: 'lint', description: 'lint', tools: ['run_command'], commands: ['npx eslint'] });
const review = makeSkill({ name: 'review', description: 'review', tools: ['read_file'] });
const catalog = [testing, lint, review];

describe('ActiveSkills', () => {
  it('starts with the selected skills and their reasons, then adds loaded ones in order', () => {
    const active = new ActiveSkills(catalog, selectSkills(catalog, 'add a test'));
    const seen: string[] = [];
    active.onActivate((u) => seen.push(u.name));
    expect(active.activate('review', 'loaded by the model')).toBe(true);
    expect(active.activate('testing', 'something else')).toBe(true);
    expect(active.activate('nope', 'x')).toBe(false);
    expect(active.list()).toEqual([
      { name: 'testing', reason: "trigger 'test' matched" },
      { name: 'review', reason: 'loaded by the model' },
    ]);
    expect(seen).toEqual(['review']);
    expect(active.available().map((s) => s.name)).toEqual(['lint', 'review', 'testing']);
  });
});

describe('grantsFor', () => {
  it('grants nothing until a skill is active, then exactly its tools and commands', () => {
    const active = new ActiveSkills(catalog);
    const grants = grantsFor(active);
    expect(grants.tools).toEqual([]);
    expect(grants.explanation('run_command')).toBeUndefined();
    expect(grants.coversCommand(['npm', 'test'])).toBe(false);
    active.activate('testing', 'loaded by the model');
    expect(grants.tools).toEqual(['run_command']);
    expect(grants.commands).toEqual(['npm test', 'npx vitest run']);
    expect(grants.explanation('run_command')).toBe("allowed by skill 'testing'");
    expect(grants.explanation('read_file')).toBeUndefined();
  });

  it('names every active skill that grants the same tool', () => {
    const active = new ActiveSkills(catalog);
    active.activate('testing', 'r');
    active.activate('lint', 'r');
    expect(grantsFor(active).explanation('run_command')).toBe("allowed by skill 'testing', 'lint'");
    expect(grantsFor(active).commands).toEqual(['npm test', 'npx eslint', 'npx vitest run']);
  });

  it('ignores grants of workspace skills unless the workspace is trusted', () => {
    const ws = makeSkill({ name: 'ws', description: 'd', origin: 'workspace', source: '.agents/skills/ws/SKILL.md', tools: ['run_command'], commands: ['curl'] });
    const active = new ActiveSkills([ws]);
    active.activate('ws', 'loaded by the model');
    expect(grantsFor(active).tools).toEqual([]);
    expect(grantsFor(active).explanation(['curl', 'x'])).toBeUndefined();
    expect(grantsFor(active, { isTrusted: () => true }).explanation(['curl', 'x'])).toBe("allowed by skill 'ws'");
  });

  it('matches commands by leading words of one parsed command, never by substring', () => {
    const active = new ActiveSkills(catalog);
    active.activate('testing', 'r');
    const g = grantsFor(active);
    expect(g.explanation(['npm', 'test', '--', '--grep', 'x'])).toBe("allowed by skill 'testing'");
    expect(g.explanation(['npx', 'vitest', 'run', 'test/unit'])).toBe("allowed by skill 'testing'");
    expect(g.explanation(['npx', 'vitest'])).toBeUndefined();
    expect(g.explanation(['npm', 'testx'])).toBeUndefined();
    expect(g.explanation(['npm', 'install'])).toBeUndefined();
    expect(g.explanation('npm test --watch')).toBe("allowed by skill 'testing'");
    // A string with shell syntax could hide a second command, so it is never explained as granted.
    expect(g.explanation('npm test && curl evil.example')).toBeUndefined();
    expect(g.explanation('npm test; rm -rf /')).toBeUndefined();
  });
});
