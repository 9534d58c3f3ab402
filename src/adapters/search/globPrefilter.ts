/**
 * What rg can apply of a find_files glob while it walks, without changing the result: necessary
 * conditions only, since the JS matcher still decides every path rg prints.
 * - `nameGlob`: the file name must match the glob's last segment (`*.ts` in `src/**\/*.ts`). rg takes
 *   it as a file type, which it applies after .gitignore (a `--glob` would override .gitignore).
 * - `pruneRules`: gitignore lines, anchored at the workspace root, that skip the folders the glob's
 *   fixed-depth segments cannot reach (`src/pkg1*\/**` walks only `src/pkg1*`, `src/*.ts` no
 *   sub-folder of `src`). rg reads them as an --ignore-file, after the workspace's own rules, so a
 *   .gitignore can only add paths back, which the JS matcher then drops.
 * Globs with braces, extglobs, escapes or negation get no prune rules (gitignore has no braces).
 */
export interface GlobPrefilter {
  nameGlob?: string;
  pruneRules: string[];
}

const NOT_GITIGNORE_SAFE = /[{}()\\]|^!|^#|\s$/;

export function globPrefilter(glob: string | undefined, startRel: string): GlobPrefilter {
  const g = glob?.trim();
  if (!g) return { pruneRules: [] };
  if (!g.includes('/')) return { nameGlob: g, pruneRules: [] };
  if (g.includes('{') || g.includes('(')) return { pruneRules: [] };
  const segments = g.split('/');
  const last = segments.pop() ?? '';
  const nameGlob = last !== '' && !last.includes('**') ? last : undefined;
  const base = startRel === '' ? [] : startRel.split('/');
  if (base.some((s, i) => segments[i] !== s) || segments.some((s) => s === '' || NOT_GITIGNORE_SAFE.test(s))) return { nameGlob, pruneRules: [] };
  const rules: string[] = [];
  let depth = base.length;
  for (; depth < segments.length && !segments[depth]!.includes('**'); depth++) {
    const parent = segments.slice(0, depth).join('/');
    rules.push(`/${parent === '' ? '' : `${parent}/`}*`, `!/${segments.slice(0, depth + 1).join('/')}/`);
  }
  // Every segment fixed and the name last: nothing below the deepest folder can match.
  if (depth === segments.length && nameGlob) rules.push(`/${segments.join('/')}/*/`);
  return { nameGlob, pruneRules: rules };
}
