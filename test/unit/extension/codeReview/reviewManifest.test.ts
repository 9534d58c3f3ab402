import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, LEGACY_COMMAND_IDS } from '../../../../src/extension/commands/commandTable';
import { COMMENT_WITH_SUGGESTION, REVIEW_CONTROLLER_ID, THREAD_OPEN } from '../../../../src/extension/codeReview/codeReviewViewModel';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string; icon?: string }[]; menus: Record<string, MenuEntry[]> };
};
const menus = pkg.contributes.menus;

describe('the review in package.json', () => {
  it('Review Current Diff is in the Source Control title bar for git, with an icon so it shows as a button', () => {
    expect(menus['scm/title']).toContainEqual(expect.objectContaining({ command: 'agentHarness.codeReview.run', when: 'scmProvider == git', group: expect.stringMatching(/^navigation/) }));
    expect(pkg.contributes.commands.find((c) => c.command === 'agentHarness.codeReview.run')?.icon).toBeTruthy();
  });

  it('Resolve shows on open threads of the review controller, Apply Suggestion only on comments that carry one', () => {
    const resolve = menus['comments/commentThread/title']?.find((m) => m.command === 'agentHarness.codeReview.resolve');
    expect(resolve?.when).toBe(`commentController == ${REVIEW_CONTROLLER_ID} && commentThread == ${THREAD_OPEN}`);
    const apply = menus['comments/comment/title']?.find((m) => m.command === 'agentHarness.codeReview.applySuggestion');
    expect(apply?.when).toBe(`commentController == ${REVIEW_CONTROLLER_ID} && comment == ${COMMENT_WITH_SUGGESTION}`);
  });

  it('Clear Review Comments is a palette command; the comment actions are not', () => {
    const byId = new Map<string, { palette: boolean }>(COMMANDS.map((c) => [c.id, c]));
    expect(byId.get('agentHarness.codeReview.clearComments')?.palette).toBe(true);
    expect(byId.get('agentHarness.codeReview.resolve')?.palette).toBe(false);
    expect(byId.get('agentHarness.codeReview.applySuggestion')?.palette).toBe(false);
  });

  it('"review" names one thing: edit proposals are agentHarness.proposals.*, the diff review agentHarness.codeReview.*, and the old ids are aliases nobody sees', () => {
    const ids = COMMANDS.map((c) => c.id as string);
    expect(ids.filter((id) => /review/i.test(id) && !id.startsWith('agentHarness.codeReview.'))).toEqual([]);
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const [old, id] of Object.entries(LEGACY_COMMAND_IDS)) {
      expect(ids).toContain(id);
      expect(contributed.has(old)).toBe(false);
    }
    expect(Object.keys(LEGACY_COMMAND_IDS)).toEqual(expect.arrayContaining(['agentHarness.review.approveAll', 'agentHarness.reviewDiff']));
  });
});
