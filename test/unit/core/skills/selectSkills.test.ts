import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkills } from '../../../../src/core/skills/loadSkills';
import { explainScore, scoreSkills, selectSkills } from '../../../../src/core/skills/selectSkills';
import { stem, terms } from '../../../../src/core/skills/text';
import { makeSkill } from './skillFixtures';

const testing = makeSkill({ name: 'testing', description: 'Write unit tests, run test suites, analyze coverage', triggers: ['unit test', 'pytest'] });
const refactoring = makeSkill({ name: 'refactoring', description: 'Refactor code for clarity, performance and maintainability', triggers: ['refactor', 'clean up'] });
const docs = makeSkill({ name: 'docs', description: 'Write documentation and code comments' });
const all = [docs, refactoring, testing];

describe('text helpers', () => {
  it('stems common inflections to one form', () => {
    expect(['tests', 'testing', 'tested'].map(stem)).toEqual(['test', 'test', 'test']);
    expect(['debugging', 'running', 'vulnerabilities', 'fixes', 'status', 'css'].map(stem)).toEqual(['debug', 'run', 'vulnerability', 'fix', 'status', 'css']);
  });

  it('drops stop words and one-letter words from terms', () => {
    expect(terms('Please add a test for the parser, and make it pass')).toEqual(['add', 'test', 'parser', 'pass']);
  });
});

describe('selectSkills', () => {
  it('selects by a trigger phrase as whole words, inflections ignored, and says which trigger', () => {
    const [sel, ...rest] = selectSkills(all, 'Add Unit-Tests for the tokenizer');
    expect(rest).toEqual([]);
    expect(sel!.skill.name).toBe('testing');
    expect(sel!.reason).toMatch(/^trigger 'unit test' matched; description relevance 0\.\d\d: test, unit$/);
  });

  it('does not match a trigger inside another word or out of order', () => {
    expect(scoreSkills(all, 'the testunit is running').find((s) => s.name === 'testing')!.triggers).toEqual([]);
    expect(scoreSkills(all, 'test the unit').find((s) => s.name === 'testing')!.triggers).toEqual([]);
    expect(scoreSkills(all, 'please clean it up').find((s) => s.name === 'refactoring')!.triggers).toEqual([]);
  });

  it('selects by description relevance above the threshold and lists the shared terms', () => {
    const sel = selectSkills(all, 'improve maintainability and clarity of the parser');
    expect(sel.map((s) => s.skill.name)).toEqual(['refactoring']);
    expect(sel[0]!.reason).toMatch(/^description relevance 0\.\d\d: (maintainability, clarity|clarity, maintainability)$/);
    expect(sel[0]!.score.relevance).toBeGreaterThanOrEqual(0.25);
  });

  it('leaves out skills below the threshold and honours a custom threshold', () => {
    const task = 'write the release notes';
    expect(selectSkills(all, task)).toEqual([]);
    const low = scoreSkills(all, task).find((s) => s.name === 'docs')!;
    expect(low.relevance).toBeGreaterThan(0);
    expect(selectSkills(all, task, { threshold: low.relevance }).map((s) => s.skill.name)).toContain('docs');
  });

  it('weights a word every skill shares less than a word only one skill uses', () => {
    const a = makeSkill({ name: 'a', description: 'code parser grammar' });
    const b = makeSkill({ name: 'b', description: 'code network sockets' });
    const [sa, sb] = scoreSkills([a, b], 'code grammar');
    expect(sa!.relevance).toBeGreaterThan(sb!.relevance);
    expect(sa!.matchedTerms).toEqual(['grammar', 'code']);
  });

  it('caps the number selected, highest score first, ties broken by name', () => {
    const skills = ['c', 'a', 'b'].map((n) => makeSkill({ name: n, description: `${n} thing`, triggers: ['deploy'] }));
    expect(selectSkills(skills, 'deploy it', { maxSelected: 2 }).map((s) => s.skill.name)).toEqual(['a', 'b']);
    const withBoth = [...skills, makeSkill({ name: 'z', description: 'deploy service', triggers: ['deploy'] })];
    expect(selectSkills(withBoth, 'deploy the service', { maxSelected: 1 }).map((s) => s.skill.name)).toEqual(['z']);
  });

  it('is deterministic: same inputs, same selection, scores and reasons', () => {
    const task = 'refactor and add unit tests with pytest';
    expect(selectSkills([...all].reverse(), task)).toEqual(selectSkills([...all].reverse(), task));
    expect(selectSkills(all, task).map((s) => s.skill.name)).toEqual(['testing', 'refactoring']);
  });

  it('explains a trigger-only match without relevance noise', () => {
    expect(explainScore({ name: 'x', triggers: ['refactor'], relevance: 0.1, matchedTerms: ['refactor'], score: 1.1 })).toBe("trigger 'refactor' matched");
  });

  it('picks the expected built-in skill for everyday tasks', async () => {
    const { skills } = await loadSkills({ builtinDir: resolve(__dirname, '../../../../skills') });
    const pick = (task: string) => selectSkills(skills, task).map((s) => s.skill.name);
    expect(pick('Add unit tests for the parser')).toEqual(['testing']);
    expect(pick('Refactor the database layer for clarity')).toEqual(['refactoring']);
    expect(pick('The app crashes with a TypeError when saving')).toEqual(['debugging']);
    expect(pick('Review my changes before I merge')).toContain('code-review');
    expect(pick('Update the README with install instructions')).toEqual(['documentation']);
    expect(pick('Check this handler for SQL injection')).toContain('security-review');
    expect(pick('Add a dark mode toggle to the settings page')).toEqual([]);
  });
});
