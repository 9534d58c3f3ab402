import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunModelRequest } from '../../../../src/core/model/modelFactory';
import type { ModelClient } from '../../../../src/core/model/modelClient';
import { BudgetConfigError } from '../../../../src/core/model/budgetChoice';
import { assembleRun, openModelFor, type RunPorts } from '../../../../src/core/session/assembleRun';
import { SessionConfigError } from '../../../../src/core/session/prepareRun';
import { FakeSandbox } from '../../../support/fakeSandbox';
import { tempDir } from '../../../support/fixtures';

/** The core's one run assembly (issue 15 item 1): what every entry point gets from the user's choice and its ports. */
const skills = path.resolve(__dirname, '../../../../skills');
let root: string;
beforeEach(async () => {
  root = await tempDir('ah-assemble-');
  await writeFile(path.join(root, 'a.txt'), 'a\n');
});

function ports(extra: Partial<RunPorts> = {}) {
  const order: string[] = [];
  const requests: RunModelRequest[] = [];
  const p: RunPorts = {
    builtinSkillsDir: skills,
    openModel: async (request) => {
      order.push('model');
      requests.push(request);
      const model = { model: request.model ?? 'configured', protocol: 'openai' } as unknown as ModelClient;
      return { model, sinks: [() => undefined], notices: ['a notice from the gateway'] };
    },
    openCommands: async () => {
      order.push('commands');
      return { sandbox: new FakeSandbox(), wasmDirs: [] };
    },
    ...extra,
  };
  return { p, order, requests };
}

async function profile(name: string, yaml: string) {
  await mkdir(path.join(root, '.agent-harness/profiles'), { recursive: true });
  await writeFile(path.join(root, `.agent-harness/profiles/${name}.yaml`), yaml);
}

describe('assembleRun', () => {
  it('asks the gateway for the chosen model, else the profile model, else the configured one', async () => {
    await profile('pinned', 'name: pinned\ndescription: pins a model\nmodel: pinned-model\nlimits:\n  maxCostUsd: 3\n');
    const a = ports();
    expect((await assembleRun({ root, task: 't', profileName: 'pinned', model: 'picked', budgets: { env: {} } }, a.p)).options.model.model).toBe('picked');
    expect((await assembleRun({ root, task: 't', profileName: 'pinned', budgets: { env: {} } }, a.p)).options.model.model).toBe('pinned-model');
    expect((await assembleRun({ root, task: 't', budgets: { env: {} } }, a.p)).options.model.model).toBe('configured');
    // The profile's cost limit is a run budget (a workspace profile: chosen, not a default).
    expect(a.requests[1]!.budgets.run).toEqual({ costUsd: 3 });
  });

  it('opens the model before the sandbox, so a gateway mistake stops the run before a container starts', async () => {
    const a = ports({
      openModel: async () => {
        throw new Error('no model configured');
      },
    });
    await expect(assembleRun({ root, task: 't', budgets: { env: {} } }, a.p)).rejects.toThrow('no model configured');
    expect(a.order).toEqual([]);
    const b = ports();
    await assembleRun({ root, task: 't', budgets: { env: {} } }, b.p);
    expect(b.order).toEqual(['model', 'commands']);
  });

  it('stops on an unknown profile or a malformed day budget before asking the gateway for anything', async () => {
    const a = ports();
    await expect(assembleRun({ root, task: 't', profileName: 'nope', budgets: { env: {} } }, a.p)).rejects.toBeInstanceOf(SessionConfigError);
    await expect(assembleRun({ root, task: 't', budgets: { env: { AGENT_HARNESS_MAX_TOKENS_PER_DAY: 'many' } } }, a.p)).rejects.toBeInstanceOf(BudgetConfigError);
    expect(a.order).toEqual([]);
  });

  it("passes the day budget, the label with the profile's name, and the gateway's sinks and notices", async () => {
    const a = ports();
    const run = await assembleRun({ root, task: 't', budgets: { runTokens: 500, env: { AGENT_HARNESS_MAX_COST_PER_DAY: '2' } }, label: { kind: 'eval', tags: { suite: 's' } } }, a.p);
    expect(a.requests[0]).toMatchObject({ budgets: { run: { tokens: 500 }, day: { costUsd: 2 } }, label: { kind: 'eval', tags: { suite: 's' }, profile: 'coder' } });
    expect(run.options.sinks).toHaveLength(1);
    expect(run.notices).toEqual(['a notice from the gateway']);
    expect(run.options.profile).toBe('coder');
    expect(run.options.cache).toBe(true);
    expect(run.options.spill).toEqual({ root });
  });

  it('bounds the profile limits by the caps and replaces them by the overrides', async () => {
    await profile('short', 'name: short\ndescription: few turns\nlimits:\n  maxTurns: 5\n  maxToolCalls: 9\n');
    const a = ports();
    const capped = await assembleRun({ root, task: 't', profileName: 'short', budgets: { env: {} }, limitCaps: { maxTurns: 3, maxTokens: 1000 } }, a.p);
    expect(capped.options.limits).toMatchObject({ maxTurns: 3, maxToolCalls: 9, maxTokens: 1000 });
    const loose = await assembleRun({ root, task: 't', profileName: 'short', budgets: { env: {} }, limitCaps: { maxTurns: 50 }, limitOverrides: { maxTurns: 7 } }, a.p);
    expect(loose.options.limits).toMatchObject({ maxTurns: 7, maxToolCalls: 9 });
  });

  it('a read-only run (an untrusted workspace) has no tool that writes', async () => {
    const run = await assembleRun({ root, task: 't', budgets: { env: {} } }, { ...ports().p, readOnly: true });
    const names = run.options.tools.list().map((t) => t.name);
    expect(names).toContain('read_file');
    expect(names).not.toContain('write_file');
    expect(names).not.toContain('edit_file');
  });
});

describe('the resume rebuild rule', () => {
  const call = (name: string) => ({ id: 'c', name, arguments: '{}' });
  it('rebuilds loaded skills always, and edit proposals only when edits wait until the end of the run', async () => {
    const held = (await assembleRun({ root, task: 't', budgets: { env: {} } }, ports().p)).options.rebuildOnReplay;
    expect(['load_skill', 'write_file', 'edit_file', 'read_file'].map((n) => held(call(n)))).toEqual([true, true, true, false]);
    const reviewed = (await assembleRun({ root, task: 't', budgets: { env: {} } }, { ...ports().p, reviewer: async () => [] })).options.rebuildOnReplay;
    const autoApplied = (await assembleRun({ root, task: 't', budgets: { env: {} } }, { ...ports().p, autoApproveEdits: true })).options.rebuildOnReplay;
    for (const rule of [reviewed, autoApplied]) expect(['load_skill', 'write_file', 'edit_file'].map((n) => rule(call(n)))).toEqual([true, false, false]);
  });
});

describe('openModelFor', () => {
  it('applies the budget rule for work outside a run (a code review) and labels it with its profile', async () => {
    const a = ports();
    await openModelFor(a.p.openModel, { model: 'm', budgets: { env: {} }, label: { kind: 'review' } }, { profile: { name: 'reviewer', limits: { maxCostUsd: 1 } } as never, builtIn: true });
    expect(a.requests[0]).toEqual({ model: 'm', budgets: {}, defaultRunCostUsd: 1, label: { kind: 'review', profile: 'reviewer' } });
  });
});
