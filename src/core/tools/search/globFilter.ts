import picomatch from 'picomatch';

/**
 * The glob filter both searchers apply to workspace-relative posix paths. A glob without a slash
 * matches the file name at any depth (`*.ts`), one with a slash matches the whole path from the root
 * (`src/**\/*.ts`), as in .gitignore and rg's --glob.
 */
export function createGlobFilter(glob: string | undefined): ((relPath: string) => boolean) | undefined {
  if (glob === undefined || glob.trim() === '') return undefined;
  const pattern = glob.trim().replace(/^\.\//, '').replace(/^\/+/, '');
  const isMatch = picomatch(pattern, { dot: true });
  if (pattern.includes('/')) return (relPath) => isMatch(relPath);
  // The file name alone (picomatch's `basename` option, without its slower path splitting).
  return (relPath) => isMatch(relPath.slice(relPath.lastIndexOf('/') + 1));
}
