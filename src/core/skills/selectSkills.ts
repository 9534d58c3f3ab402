import { compareNames } from './loadSkills';
import type { Skill } from './skill';
import { terms, words } from './text';

export interface SelectOptions {
  /** Minimum description relevance (0..1) for a skill without a trigger match. */
  threshold?: number;
  /** At most this many skills are selected; the highest scores win, ties by name. */
  maxSelected?: number;
}

export const DEFAULT_SELECT_OPTIONS: Required<SelectOptions> = { threshold: 0.25, maxSelected: 3 };

export interface SkillScore {
  name: string;
  /** Trigger phrases found in the task, in the skill's order. */
  triggers: string[];
  /** Cosine similarity of idf-weighted terms of the description and the task, 0..1, rounded to 2 places. */
  relevance: number;
  /** Description terms that also occur in the task, in order of weight then name. */
  matchedTerms: string[];
  /** A trigger match counts 1, plus the relevance. */
  score: number;
}

export interface SelectedSkill {
  skill: Skill;
  score: SkillScore;
  /** Why it was selected, for `skillsUsed` ("trigger 'unit test' matched; description relevance 0.42: test, coverage"). */
  reason: string;
}

/**
 * Chooses the skills a task needs. A skill is selected when one of its trigger phrases occurs in the
 * task (as whole words, inflections ignored) or when its description is relevant enough. Relevance is
 * the cosine similarity of binary term vectors weighted by inverse document frequency over all skill
 * descriptions, so a word every skill mentions ("code") counts for less than one only this skill uses.
 * The same skills and task always give the same selection, reasons and order.
 */
export function selectSkills(skills: readonly Skill[], task: string, options: SelectOptions = {}): SelectedSkill[] {
  const { threshold, maxSelected } = { ...DEFAULT_SELECT_OPTIONS, ...options };
  const scores = scoreSkills(skills, task);
  const byName = new Map(skills.map((s) => [s.name, s]));
  return scores
    .filter((s) => s.triggers.length > 0 || (s.relevance >= threshold && s.relevance > 0))
    .sort((a, b) => b.score - a.score || compareNames(a.name, b.name))
    .slice(0, Math.max(0, maxSelected))
    .map((score) => ({ skill: byName.get(score.name)!, score, reason: explainScore(score, threshold) }));
}

/** Scores every skill against the task, in the skills' order (for explanations and tests). */
export function scoreSkills(skills: readonly Skill[], task: string): SkillScore[] {
  const taskWords = words(task);
  const taskTerms = new Set(terms(task));
  const descTerms = skills.map((s) => new Set(terms(s.description)));
  const idf = inverseDocumentFrequency(descTerms);

  return skills.map((skill, i) => {
    // Triggers that stem to the same words ("test", "tests") are one trigger; the first spelling is reported.
    const seen = new Set<string>();
    const triggers = skill.triggers.filter((t) => {
      const phrase = words(t);
      const key = phrase.join(' ');
      if (seen.has(key)) return false;
      seen.add(key);
      return containsPhrase(taskWords, phrase);
    });
    const desc = descTerms[i]!;
    const weight = (t: string): number => idf.get(t) ?? 0;
    const matched = [...desc].filter((t) => taskTerms.has(t));
    const descNorm = Math.sqrt(sum([...desc].map((t) => weight(t) ** 2)));
    // Task terms no description uses still dilute relevance, with the largest weight a term can have.
    const maxWeight = Math.log(1 + skills.length);
    const taskNorm = Math.sqrt(sum([...taskTerms].map((t) => (idf.get(t) ?? maxWeight) ** 2)));
    const dot = sum(matched.map((t) => weight(t) ** 2));
    const relevance = descNorm > 0 && taskNorm > 0 ? round2(dot / (descNorm * taskNorm)) : 0;
    matched.sort((a, b) => weight(b) - weight(a) || compareNames(a, b));
    return { name: skill.name, triggers, relevance, matchedTerms: matched, score: (triggers.length > 0 ? 1 : 0) + relevance };
  });
}

export function explainScore(score: SkillScore, threshold: number = DEFAULT_SELECT_OPTIONS.threshold): string {
  const parts: string[] = [];
  if (score.triggers.length > 0) parts.push(score.triggers.map((t) => `trigger '${t}' matched`).join(', '));
  if (score.relevance > 0 && (score.relevance >= threshold || score.triggers.length === 0)) {
    parts.push(`description relevance ${score.relevance.toFixed(2)}: ${score.matchedTerms.join(', ')}`);
  }
  return parts.join('; ');
}

function inverseDocumentFrequency(docs: readonly Set<string>[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of doc) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [t, n] of df) idf.set(t, Math.log(1 + docs.length / n));
  return idf;
}

function containsPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > haystack.length) return false;
  outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
