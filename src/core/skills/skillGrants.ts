import { matchesCommandPattern, patternWords } from '../profiles/commandPattern';
import type { ActiveSkills } from './activeSkills';
import type { Skill } from './skill';

export interface SkillGrants {
  /** Tool names granted by the active skills, sorted, without duplicates. */
  tools: string[];
  /** Command patterns granted by the active skills ("npm test"), sorted, without duplicates. */
  commands: string[];
  /**
   * Why a tool or command is granted: "allowed by skill 'testing'", or undefined when no active skill
   * grants it. Pass a tool name, or a parsed command's argv (one simple command: the caller matches each
   * segment of a command line separately). A plain string that is not a granted tool is read as a
   * command only when it is plain words; anything with shell syntax is never explained as granted.
   */
  explanation(toolOrCommand: string | readonly string[]): string | undefined;
  /** True when the argv of one simple command is covered by a granted pattern. */
  coversCommand(argv: readonly string[]): boolean;
}

const PLAIN_WORDS = /^[A-Za-z0-9_./:@%+,-]+(?:\s+[A-Za-z0-9_./:@%+,=-]+)*$/;

export interface GrantOptions {
  /**
   * Whether a skill from the workspace's own folders may grant tools and commands. A SKILL.md is
   * repository content, so a cloned repository could use it to widen what the agent may run: its
   * instructions still load, but its grants wait until a person approved this exact content (its
   * hash), and an edit to the file needs approval again. Built-in skills always grant.
   */
  isTrusted?: (skill: Skill) => boolean;
}

/**
 * The tools and commands granted by the skills active right now. It reads the ActiveSkills at call
 * time, so a skill loaded later in the run grants from then on, and nothing is granted before.
 */
export function grantsFor(active: ActiveSkills, options: GrantOptions = {}): SkillGrants {
  const skills = () => active.activeSkills().filter((s) => s.origin === 'built-in' || options.isTrusted?.(s) === true);
  const toolGranters = (tool: string) => skills().filter((s) => s.tools.includes(tool)).map((s) => s.name);
  const commandGranters = (argv: readonly string[]) =>
    skills()
      .filter((s) => s.commands.some((p) => matchesCommandPattern(p, argv)))
      .map((s) => s.name);
  const describe = (names: string[]) =>
    names.length === 0 ? undefined : `allowed by skill ${names.map((n) => `'${n}'`).join(', ')}`;

  return {
    get tools() {
      return [...new Set(skills().flatMap((s) => s.tools))].sort();
    },
    get commands() {
      return [...new Set(skills().flatMap((s) => s.commands))].sort();
    },
    explanation(toolOrCommand) {
      if (typeof toolOrCommand !== 'string') return describe(commandGranters(toolOrCommand));
      const byTool = toolGranters(toolOrCommand);
      if (byTool.length > 0) return describe(byTool);
      if (!PLAIN_WORDS.test(toolOrCommand.trim())) return undefined;
      return describe(commandGranters(patternWords(toolOrCommand)));
    },
    coversCommand(argv) {
      return commandGranters(argv).length > 0;
    },
  };
}
