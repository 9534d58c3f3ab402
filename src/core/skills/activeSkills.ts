import type { SkillUse } from '../agent/runResult';
import type { SelectedSkill } from './selectSkills';
import type { Skill } from './skill';

/**
 * The skills active in one run and why, shared by the run (which reports `skillsUsed`), the
 * `load_skill` tool (which activates more) and the approval layer (which grants their tools and
 * commands). A skill stays active for the rest of the run once activated; the first reason is kept.
 */
export class ActiveSkills {
  private readonly catalog: ReadonlyMap<string, Skill>;
  private readonly active = new Map<string, string>();
  private readonly listeners: ((use: SkillUse) => void)[] = [];

  constructor(catalog: readonly Skill[], selected: readonly SelectedSkill[] = []) {
    this.catalog = new Map(catalog.map((s) => [s.name, s]));
    for (const s of selected) this.activate(s.skill.name, s.reason);
  }

  /** Every skill this run may use, active or not, sorted by name. */
  available(): Skill[] {
    return [...this.catalog.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): Skill | undefined {
    return this.catalog.get(name);
  }

  /** Returns false for a name not in the catalogue; re-activating keeps the original reason. */
  activate(name: string, reason: string): boolean {
    if (!this.catalog.has(name)) return false;
    if (this.active.has(name)) return true;
    this.active.set(name, reason);
    for (const listener of this.listeners) listener({ name, reason });
    return true;
  }

  isActive(name: string): boolean {
    return this.active.has(name);
  }

  /** In activation order: selected skills first, then those loaded during the run. */
  list(): SkillUse[] {
    return [...this.active].map(([name, reason]) => ({ name, reason }));
  }

  activeSkills(): Skill[] {
    return [...this.active.keys()].map((n) => this.catalog.get(n)!);
  }

  /** Called once per newly activated skill, so a run can emit an event for it. */
  onActivate(listener: (use: SkillUse) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}
