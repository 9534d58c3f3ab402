/**
 * The model-facing names of the built-in tools, in one place: the tools declare them, and everything
 * that recognises a tool by name (profiles, replay rules, traces, the panel, code review) reads them
 * from here. Shared, so the webview uses the same names.
 */
export const TOOL = {
  readFile: 'read_file',
  listDir: 'list_dir',
  findFiles: 'find_files',
  grep: 'grep',
  writeFile: 'write_file',
  editFile: 'edit_file',
  runCommand: 'run_command',
  askUser: 'ask_user',
  loadSkill: 'load_skill',
} as const;

export type BuiltinToolName = (typeof TOOL)[keyof typeof TOOL];

/** The tools that propose file edits (reviewed as diffs). */
export const EDIT_TOOL_NAMES = [TOOL.writeFile, TOOL.editFile] as const;

/** The read-only workspace tools (what a reviewer profile and a code review may use). */
export const READ_TOOL_NAMES = [TOOL.readFile, TOOL.listDir, TOOL.grep, TOOL.findFiles] as const;
