import { PathGuard } from '../policy/pathGuard';
import { createEditFileTool } from '../tools/editFile';
import { createWriteFileTool } from '../tools/writeFile';
import type { ChangeSet } from './changeSet';
import type { EditToolDeps } from './propose';

export interface CreateEditToolsOptions extends Omit<EditToolDeps, 'guard'> {
  root: string;
  /** The run's path guard; one is made for `root` when absent. */
  guard?: EditToolDeps['guard'];
  changeSet: ChangeSet;
}

/** write_file and edit_file over one change set, in a stable order for a byte-stable tool list. */
export function createEditTools(options: CreateEditToolsOptions) {
  const { root, guard, ...rest } = options;
  const deps: EditToolDeps = { ...rest, guard: guard ?? new PathGuard(root) };
  return [createWriteFileTool(deps), createEditFileTool(deps)] as const;
}
