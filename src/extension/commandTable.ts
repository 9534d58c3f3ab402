/**
 * Every command the extension contributes, in one table: package.json's `contributes.commands` is
 * checked against it by a unit test, and extension.ts registers exactly these ids.
 * `palette: false` hides a command that only makes sense with arguments (CodeLens, panel buttons).
 */
export interface CommandInfo {
  id: string;
  title: string;
  palette: boolean;
  icon?: string;
}

export const CATEGORY = 'Agent Harness';

export const COMMANDS = [
  { id: 'agentHarness.runTask', title: 'Run Task…', palette: true },
  { id: 'agentHarness.addSelectionToChat', title: 'Add Selection to Chat', palette: true },
  /** The old id of Add Selection to Chat, kept for keybindings people made; hidden from the palette. */
  { id: 'agentHarness.askAboutSelection', title: 'Ask About Selection', palette: false },
  { id: 'agentHarness.fixProblems', title: 'Fix Problems in File', palette: true },
  { id: 'agentHarness.writeTests', title: 'Write Tests for File', palette: true },
  { id: 'agentHarness.reviewDiff', title: 'Review Current Diff', palette: true, icon: '$(checklist)' },
  { id: 'agentHarness.clearReviewComments', title: 'Clear Review Comments', palette: true },
  { id: 'agentHarness.openPanel', title: 'Open Side Panel', palette: true },
  { id: 'agentHarness.stopRun', title: 'Stop Run', palette: true, icon: '$(debug-stop)' },
  { id: 'agentHarness.chooseProvider', title: 'Choose Model Provider…', palette: true },
  { id: 'agentHarness.setGatewayKey', title: 'Set Gateway Key', palette: true },
  { id: 'agentHarness.testConnection', title: 'Test Gateway Connection', palette: true },
  { id: 'agentHarness.clearGatewayKey', title: 'Clear Gateway Key', palette: true },
  { id: 'agentHarness.undoLastRun', title: 'Undo Last Run', palette: true },
  { id: 'agentHarness.showRunLog', title: 'Show Run Log', palette: true },
  { id: 'agentHarness.newChat', title: 'New Chat', palette: true, icon: '$(add)' },
  { id: 'agentHarness.focusInput', title: 'Focus Chat Input', palette: true },
  { id: 'agentHarness.showHistory', title: 'Show Chat History', palette: true, icon: '$(history)' },
  { id: 'agentHarness.showPendingChanges', title: 'Show Pending Changes', palette: true, icon: '$(diff)' },
  { id: 'agentHarness.approveWaiting', title: 'Approve Waiting Request', palette: true },
  { id: 'agentHarness.rejectWaiting', title: 'Reject Waiting Request', palette: true },
  /** The code action on a diagnostic: a task to fix that problem, with the file's problems attached. */
  { id: 'agentHarness.fixWithAgent', title: 'Fix with Agent Harness', palette: false },
  { id: 'agentHarness.runEvalSuite', title: 'Run Eval Suite…', palette: true },
  { id: 'agentHarness.review.approveFile', title: 'Approve File', palette: false, icon: '$(check)' },
  { id: 'agentHarness.review.rejectFile', title: 'Reject File…', palette: false, icon: '$(close)' },
  { id: 'agentHarness.review.approveAll', title: 'Approve All Proposed Changes', palette: true, icon: '$(check-all)' },
  { id: 'agentHarness.review.rejectAll', title: 'Reject All Proposed Changes', palette: true, icon: '$(clear-all)' },
  { id: 'agentHarness.review.approveHunk', title: 'Approve Hunk', palette: false },
  { id: 'agentHarness.review.rejectHunk', title: 'Reject Hunk', palette: false },
  { id: 'agentHarness.reviewComment.resolve', title: 'Resolve', palette: false, icon: '$(check)' },
  { id: 'agentHarness.reviewComment.applySuggestion', title: 'Apply Suggestion', palette: false, icon: '$(wand)' },
  { id: 'agentHarness.team.refresh', title: 'Refresh Team Runs', palette: true, icon: '$(refresh)' },
  { id: 'agentHarness.team.openResult', title: 'Open Team Run Result', palette: false, icon: '$(diff)' },
  { id: 'agentHarness.team.approve', title: 'Approve', palette: false, icon: '$(check)' },
  { id: 'agentHarness.team.reject', title: 'Reject…', palette: false, icon: '$(close)' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/** The scheme of the read-only documents that hold proposed file contents. */
export const PROPOSED_SCHEME = 'agent-harness-proposed';
export const VIEW_ID = 'agentHarness.panel';
export const CONTAINER_ID = 'agentHarness';
