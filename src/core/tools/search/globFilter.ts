import picomatch from 'picomatch';

/**
 * The glob filter both searchers apply to workspace-relative posix paths. A glob without a slash
 * matches the file name at any depth (`*.ts`), one with a slash matches the whole path from the root
 * (`src/**\/*.ts`), as in .gitignore and rg's --glob.
 */
export function createGlobFilter(glob: string | undefined): ((relPath: string) => boolean) | undefined {
  if (glob === undefined || glob.trim() === '') return undefined;
  const pattern = glob.trim().replace(/^\.\//, '').replace(/^\/+/, '');
  const isMatch = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
  return (relPath) => isMatch(relPath);
}
