import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/core/policy/approvalsWrapper';
import { PanelPrompts } from '../../../src/extension/panel/panelPrompts';
import type { PanelAction } from '../../../src/extension/panel/panelReducer';
import { rerunRequest } from '../../../src/extension/run/runJournals';

const req: ApprovalRequest = { key: 'k1', runId: 'r', callId: 'c1', tool: 'run_command', kind: 'command', args: { command: 'npm test' }, reasons: ['not allowed yet'], grantScopes: ['run'] };

function setup() {
  const actions: PanelAction[] = [];
  const prompts = new PanelPrompts((a) => actions.push(a), () => undefined);
  return { actions, prompts };
}

describe('PanelPrompts', () => {
  it('resolves an approval with the key and the remembered scope the panel sent', async () => {
    const { actions, prompts } = setup();
    const answer = prompts.askApproval(req, 'container x', new AbortController().signal);
    expect(actions[0]).toMatchObject({ type: 'approval_requested', item: { id: 'approval:r:c1', title: 'Run this command?', command: 'npm test', where: 'container x' } });
    prompts.decide({ type: 'approve', id: 'approval:r:c1', remember: 'run' });
    expect(await answer).toEqual({ approved: true, key: 'k1', remember: 'run' });
    // A second click on the same card does nothing.
    prompts.decide({ type: 'reject', id: 'approval:r:c1' });
    expect(actions.filter((a) => a.type === 'approval_resolved')).toHaveLength(1);
  });

  it('answers "no" when the run is stopped or ends, so nothing waits forever', async () => {
    const { prompts } = setup();
    const stop = new AbortController();
    const a = prompts.askApproval(req, undefined, stop.signal);
    const q = prompts.askQuestion('c2', 'Which one?', ['x'], new AbortController().signal);
    stop.abort();
    expect(await a).toEqual({ approved: false, reason: 'the run was stopped' });
    prompts.endAll();
    expect(await q).toEqual({ unanswered: 'the run ended' });
  });

  it('asks a re-run confirmation under its own id with the reason why', async () => {
    const { actions, prompts } = setup();
    const r = rerunRequest('r', { id: 'c9', name: 'write_file', arguments: '{"path":"a.ts","content":"x"}' }, 'write', 'write_file may already have written a.ts');
    const answer = prompts.askApproval(r, undefined, new AbortController().signal, 'rerun:r:c9');
    expect(actions[0]).toMatchObject({ type: 'approval_requested', item: { id: 'rerun:r:c9', title: 'Allow write_file on a.ts?', reasons: ['write_file may already have written a.ts. Run it again?'], grantScopes: [] } });
    prompts.decide({ type: 'reject', id: 'rerun:r:c9', reason: 'no' });
    expect(await answer).toEqual({ approved: false, reason: 'no' });
  });
});
