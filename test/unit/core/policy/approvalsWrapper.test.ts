import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decideApproval } from '../../../../src/core/policy/approvals';
import { GrantStore } from '../../../../src/core/policy/approvalsGrants';
import { approveAll, refuseAll, withApproval, type ApprovalOutcome, type ApprovalRequest, type ApprovalResponse, type Approver, type DecideFn } from '../../../../src/core/policy/approvalsWrapper';
import { BUILTIN_PROFILES } from '../../../../src/core/profiles/builtinProfiles';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { toolContext } from '../../../support/fixtures';

const ctx = (callId = 'c1') => toolContext({ runId: 'r1', callId });
const coder = BUILTIN_PROFILES[0]!;

function externalTool() {
  const calls: unknown[] = [];
  const tool = defineTool({
    name: 'tracker.create',
    description: 'Create an issue.',
    kind: 'external',
    schema: z.object({ title: z.string() }),
    run: async (args) => {
      calls.push(args);
      return `created ${args.title}`;
    },
  });
  return { tool, calls };
}

class ScriptedApprover implements Approver {
  readonly requests: ApprovalRequest[] = [];
  constructor(private readonly answer: (req: ApprovalRequest) => ApprovalResponse) {}
  async request(req: ApprovalRequest): Promise<ApprovalResponse> {
    this.requests.push(req);
    return this.answer(req);
  }
}

const decideWith = (grants: GrantStore, contentHash?: () => string): DecideFn => (tool, args) =>
  decideApproval({ tool, args, profile: coder, grants, ...(contentHash ? { contentHash: contentHash() } : {}) });

describe('withApproval', () => {
  it('keeps the tool name, kind and schema the model sees', () => {
    const { tool } = externalTool();
    const wrapped = withApproval(tool, decideWith(new GrantStore()), approveAll);
    expect(wrapped.spec).toEqual(tool.spec);
    expect(wrapped.kind).toBe('external');
  });

  it('runs an allowed call without asking', async () => {
    const { tool, calls } = externalTool();
    const approver = new ScriptedApprover(() => ({ approved: false }));
    const allow: DecideFn = () => ({ decision: 'allow', reasons: ['ok'], key: 'k', grantScopes: [] });
    const out = await new ToolRegistry([withApproval(tool, allow, approver)]).call('tracker.create', '{"title":"a"}', ctx());
    expect(out).toMatchObject({ isError: false, content: 'created a' });
    expect(approver.requests).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('returns a denial to the model as a tool error and runs nothing', async () => {
    const { tool, calls } = externalTool();
    const deny: DecideFn = () => ({ decision: 'deny', reasons: ['outside the workspace'], key: 'k', grantScopes: [] });
    const out = await new ToolRegistry([withApproval(tool, deny, approveAll)]).call('tracker.create', '{"title":"a"}', ctx());
    expect(out).toEqual({ isError: true, content: 'Not run: outside the workspace.' });
    expect(calls).toEqual([]);
  });

  it('asks with the exact call, runs on approval, and reports the outcome', async () => {
    const { tool, calls } = externalTool();
    const outcomes: ApprovalOutcome[] = [];
    const approver = new ScriptedApprover((req) => ({ approved: true, key: req.key }));
    const reg = new ToolRegistry([withApproval(tool, decideWith(new GrantStore()), approver, { onOutcome: (o) => outcomes.push(o) })]);
    const out = await reg.call('tracker.create', '{"title":"a"}', ctx());
    expect(out.content).toBe('created a');
    expect(approver.requests[0]).toMatchObject({ tool: 'tracker.create', kind: 'external', args: { title: 'a' }, runId: 'r1', callId: 'c1', grantScopes: ['run', 'workspace'] });
    expect(outcomes).toMatchObject([{ tool: 'tracker.create', callId: 'c1', approved: true, decision: { decision: 'ask' } }]);
    expect(calls).toHaveLength(1);
  });

  it('reports a declined call with the person\'s reason', async () => {
    const { tool, calls } = externalTool();
    const approver = new ScriptedApprover(() => ({ approved: false, reason: 'wrong project' }));
    const out = await new ToolRegistry([withApproval(tool, decideWith(new GrantStore()), approver)]).call('tracker.create', '{"title":"a"}', ctx());
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/^Not run: the user declined: wrong project\./);
    expect(calls).toEqual([]);
  });

  it('refuses an approval whose key is for a different call', async () => {
    const { tool, calls } = externalTool();
    const approver = new ScriptedApprover(() => ({ approved: true, key: 'some-other-call' }));
    const out = await new ToolRegistry([withApproval(tool, decideWith(new GrantStore()), approver)]).call('tracker.create', '{"title":"a"}', ctx());
    expect(out).toEqual({ isError: true, content: 'Not run: the approval was given for a different call.' });
    expect(calls).toEqual([]);
  });

  it('refuses to run when the content changed while the person was deciding', async () => {
    const { tool, calls } = externalTool();
    let version = 1;
    const approver = new ScriptedApprover((req) => {
      version++;
      return { approved: true, key: req.key };
    });
    const reg = new ToolRegistry([withApproval(tool, decideWith(new GrantStore(), () => `content-v${version}`), approver)]);
    const out = await reg.call('tracker.create', '{"title":"a"}', ctx());
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(/changed before it could run/);
    expect(calls).toEqual([]);
  });

  it('stores "always allow" in the chosen scope so the same call is not asked again, but a different one is', async () => {
    const { tool, calls } = externalTool();
    const grants = new GrantStore();
    const approver = new ScriptedApprover((req) => ({ approved: true, key: req.key, remember: 'run' }));
    const reg = new ToolRegistry([withApproval(tool, decideWith(grants), approver, { grants })]);
    await reg.call('tracker.create', '{"title":"a"}', ctx('c1'));
    await reg.call('tracker.create', '{"title":"b"}', ctx('c2'));
    expect(approver.requests).toHaveLength(1);
    expect(grants.list()).toMatchObject([{ scope: 'run', subject: { tool: 'tracker.create' } }]);
    expect(calls).toHaveLength(2);
  });

  it('ignores "always allow" for a call that may only be approved once', async () => {
    const destructive = defineTool({ name: 'drop_table', description: 'd', kind: 'external', destructive: true, schema: z.object({}), run: async () => 'dropped' });
    const grants = new GrantStore();
    const approver = new ScriptedApprover((req) => ({ approved: true, key: req.key, remember: 'workspace' }));
    const reg = new ToolRegistry([withApproval(destructive, (t, a) => decideApproval({ tool: t, args: a, profile: coder, grants }), approver, { grants })]);
    await reg.call('drop_table', '{}', ctx('c1'));
    await reg.call('drop_table', '{}', ctx('c2'));
    expect(approver.requests).toHaveLength(2);
    expect(approver.requests[0]!.grantScopes).toEqual([]);
    expect(grants.list()).toEqual([]);
  });

  it('offers --yes and non-interactive approvers', async () => {
    const req = { key: 'k', runId: 'r', callId: 'c', tool: 't', kind: 'external' as const, args: {}, reasons: [], grantScopes: [] };
    const signal = new AbortController().signal;
    expect(await approveAll.request(req, signal)).toEqual({ approved: true, key: 'k' });
    expect(await refuseAll().request(req, signal)).toEqual({ approved: false, reason: expect.stringContaining('--yes') });
  });
});
