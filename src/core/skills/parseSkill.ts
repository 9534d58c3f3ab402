import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SkillFrontmatterSchema, type SkillFrontmatter } from './skill';

export type ParsedSkill = { ok: true; frontmatter: SkillFrontmatter; instructions: string } | { ok: false; reason: string };

/**
 * Splits a SKILL.md into YAML frontmatter and Markdown instructions and validates the frontmatter.
 * The frontmatter must open the file with a `---` line and close with another `---` line.
 */
export function parseSkillMarkdown(text: string): ParsedSkill {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!body.startsWith('---\n')) {
    return { ok: false, reason: 'SKILL.md must start with YAML frontmatter between two "---" lines' };
  }
  const end = body.indexOf('\n---', 3);
  const closeOk = end >= 0 && (body.length === end + 4 || body[end + 4] === '\n');
  if (!closeOk) return { ok: false, reason: 'the frontmatter is not closed by a "---" line' };

  const yamlText = body.slice(4, end + 1);
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lines.linePos(first.pos[0]).line;
    // Frontmatter line numbers are offset by the opening "---" line.
    const where = line !== undefined ? ` (line ${line + 1})` : '';
    return { ok: false, reason: `invalid YAML in the frontmatter${where}: ${first.message.split('\n')[0]}` };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 50 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, reason: 'the frontmatter must be a YAML mapping with at least "name" and "description"' };
  }
  const res = SkillFrontmatterSchema.safeParse(data);
  if (!res.success) return { ok: false, reason: describeIssues(res.error) };

  const instructions = body.slice(end + 4).replace(/^\n+/, '').trimEnd();
  if (instructions.length === 0) return { ok: false, reason: 'the skill has no instructions after the frontmatter' };
  return { ok: true, frontmatter: res.data, instructions };
}

/** One sentence per issue, naming the field, so the problem list reads as instructions. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
      if (i.code === 'invalid_type' && i.message.endsWith('received undefined')) return `field "${field}" is required`;
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${[...i.path.map(String), k].join('.')}"`).join(', ')}`;
      return `field "${field}": ${i.message}`;
    })
    .join('; ');
}
