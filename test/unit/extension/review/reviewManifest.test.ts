import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../../src/extension/commandTable';
import { COMMENT_WITH_SUGGESTION, REVIEW_CONTROLLER_ID, THREAD_OPEN } from '../../../../src/extension/review/reviewViewModel';

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
    expect(menus['scm/title']).toContainEqual(expect.objectContaining({ command: 'agentHarness.reviewDiff', when: 'scmProvider == git', group: expect.stringMatching(/^navigation/) }));
    expect(pkg.contributes.commands.find((c) => c.command === 'agentHarness.reviewDiff')?.icon).toBeTruthy();
  });

  it('Resolve shows on open threads of the review controller, Apply Suggestion only on comments that carry one', () => {
    const resolve = menus['comments/commentThread/title']?.find((m) => m.command === 'agentHarness.reviewComment.resolve');
    expect(resolve?.when).toBe(`commentController == ${REVIEW_CONTROLLER_ID} && commentThread == ${THREAD_OPEN}`);
    const apply = menus['comments/comment/title']?.find((m) => m.command === 'agentHarness.reviewComment.applySuggestion');
    expect(apply?.when).toBe(`commentController == ${REVIEW_CONTROLLER_ID} && comment == ${COMMENT_WITH_SUGGESTION}`);
  });

  it('Clear Review Comments is a palette command; the comment actions are not', () => {
    const byId = new Map<string, { palette: boolean }>(COMMANDS.map((c) => [c.id, c]));
    expect(byId.get('agentHarness.clearReviewComments')?.palette).toBe(true);
    expect(byId.get('agentHarness.reviewComment.resolve')?.palette).toBe(false);
    expect(byId.get('agentHarness.reviewComment.applySuggestion')?.palette).toBe(false);
  });
});
