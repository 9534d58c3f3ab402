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
  { id: 'agentHarness.codeReview.run', title: 'Review Current Diff', palette: true, icon: '$(checklist)' },
  { id: 'agentHarness.codeReview.clearComments', title: 'Clear Review Comments', palette: true },
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
  { id: 'agentHarness.proposals.approveFile', title: 'Approve File', palette: false, icon: '$(check)' },
  { id: 'agentHarness.proposals.rejectFile', title: 'Reject File…', palette: false, icon: '$(close)' },
  { id: 'agentHarness.proposals.approveAll', title: 'Approve All Proposed Changes', palette: true, icon: '$(check-all)' },
  { id: 'agentHarness.proposals.rejectAll', title: 'Reject All Proposed Changes', palette: true, icon: '$(clear-all)' },
  { id: 'agentHarness.proposals.approveHunk', title: 'Approve Hunk', palette: false },
  { id: 'agentHarness.proposals.rejectHunk', title: 'Reject Hunk', palette: false },
  { id: 'agentHarness.codeReview.resolve', title: 'Resolve', palette: false, icon: '$(check)' },
  { id: 'agentHarness.codeReview.applySuggestion', title: 'Apply Suggestion', palette: false, icon: '$(wand)' },
  { id: 'agentHarness.team.refresh', title: 'Refresh Team Runs', palette: true, icon: '$(refresh)' },
  { id: 'agentHarness.team.openResult', title: 'Open Team Run Result', palette: false, icon: '$(diff)' },
  { id: 'agentHarness.team.approve', title: 'Approve', palette: false, icon: '$(check)' },
  { id: 'agentHarness.team.reject', title: 'Reject…', palette: false, icon: '$(close)' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/**
 * Old ids, registered as aliases and contributed nowhere (so not in the palette): "review" named both
 * the edit proposals and the code review until the proposals got their own name.
 */
export const LEGACY_COMMAND_IDS: Readonly<Record<string, CommandId>> = {
  'agentHarness.review.approveFile': 'agentHarness.proposals.approveFile',
  'agentHarness.review.rejectFile': 'agentHarness.proposals.rejectFile',
  'agentHarness.review.approveAll': 'agentHarness.proposals.approveAll',
  'agentHarness.review.rejectAll': 'agentHarness.proposals.rejectAll',
  'agentHarness.review.approveHunk': 'agentHarness.proposals.approveHunk',
  'agentHarness.review.rejectHunk': 'agentHarness.proposals.rejectHunk',
  'agentHarness.reviewDiff': 'agentHarness.codeReview.run',
  'agentHarness.clearReviewComments': 'agentHarness.codeReview.clearComments',
  'agentHarness.reviewComment.resolve': 'agentHarness.codeReview.resolve',
  'agentHarness.reviewComment.applySuggestion': 'agentHarness.codeReview.applySuggestion',
};

/** The scheme of the read-only documents that hold proposed file contents. */
export const PROPOSED_SCHEME = 'agent-harness-proposed';
export const VIEW_ID = 'agentHarness.panel';
export const CONTAINER_ID = 'agentHarness';
