import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY, COMMANDS, CONTAINER_ID, VIEW_ID } from '../../../src/extension/commands/commandTable';
import { SETTING_KEYS } from '../../../src/extension/gateway/extensionSettings';

interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
    views: Record<string, { id: string; type: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    keybindings: { command: string; key: string; mac?: string; when?: string }[];
    configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
  };
}
const raw = readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8');
const nls = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
/** The manifest as VS Code shows it: each `%key%` replaced from package.nls.json. */
const pkg = JSON.parse(raw, (_k, v: unknown) => (typeof v === 'string' && /^%[^%]+%$/.test(v) ? (nls[v.slice(1, -1)] ?? v) : v)) as Manifest;

describe('package.json contributes match the code', () => {
  it('is localization-ready (issue 16 item 9): every contributed title and description is a key of package.nls.json, and every key is used', () => {
    const manifest = JSON.parse(raw) as { displayName: string; description: string; contributes: Record<string, unknown> };
    const used = [...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    for (const k of used) expect(nls[k], k).toBeTypeOf('string');
    expect(Object.keys(nls).filter((k) => !used.includes(k))).toEqual([]);
    const literal: string[] = [];
    const visit = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}[${i}]`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, `${at}.${k}`);
      else if (typeof v === 'string' && /\.(title|name|description|markdownDescription|category)$|enumDescriptions\[\d+\]$/.test(at) && !/^%.+%$/.test(v)) literal.push(at);
    };
    visit(manifest.contributes, 'contributes');
    visit({ displayName: manifest.displayName, description: manifest.description }, '');
    expect(literal).toEqual([]);
  });

  it('contributes exactly the command table, all in the Agent Harness category', () => {
    expect(pkg.contributes.commands.map((c) => [c.command, c.title, c.category])).toEqual(COMMANDS.map((c) => [c.id, c.title, CATEGORY]));
    const hidden = pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command).sort();
    expect(hidden).toEqual(COMMANDS.filter((c) => !c.palette).map((c) => c.id).sort());
  });

  it('has the issue’s palette commands', () => {
    const titles = COMMANDS.filter((c) => c.palette).map((c) => c.title);
    for (const t of ['Run Task…', 'Add Selection to Chat', 'Focus Chat Input', 'Show Pending Changes', 'Approve Waiting Request', 'Reject Waiting Request', 'Fix Problems in File', 'Write Tests for File', 'Review Current Diff', 'Open Side Panel', 'Set Gateway Key', 'Clear Gateway Key', 'Undo Last Run', 'Show Run Log']) {
      expect(titles).toContain(t);
    }
  });

  it('keybindings (issue 16): composer, new chat, approve / reject what waits, add selection; each on a real command, none clashing in the same context', () => {
    const ids = new Set<string>(COMMANDS.map((c) => c.id));
    const byCommand = new Map(pkg.contributes.keybindings.map((k) => [k.command, k]));
    for (const id of ['agentHarness.focusInput', 'agentHarness.newChat', 'agentHarness.approveWaiting', 'agentHarness.rejectWaiting', 'agentHarness.addSelectionToChat']) expect(byCommand.get(id), id).toBeDefined();
    for (const k of pkg.contributes.keybindings) {
      expect(ids.has(k.command), k.command).toBe(true);
      expect(k.mac, k.command).toBeDefined();
    }
    // Approving is bound only while something waits; a shared key is told apart by exclusive contexts.
    expect(byCommand.get('agentHarness.approveWaiting')?.when).toBe('agentHarness.waiting');
    const sameKey = pkg.contributes.keybindings.filter((k) => k.key === byCommand.get('agentHarness.rejectWaiting')?.key);
    expect(sameKey.map((k) => k.when).sort()).toEqual(['agentHarness.waiting', 'focusedView == agentHarness.panel && !agentHarness.running']);
  });

  it('the first-run walkthrough (issue 16 item 8): provider, key, Test Connection, a first task; each step on a real command with its media', () => {
    const w = (pkg.contributes as unknown as { walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[] }[] }).walkthroughs;
    expect(w.map((x) => x.id)).toEqual(['gettingStarted']);
    const ids = new Set<string>(COMMANDS.map((c) => c.id));
    expect(w[0]!.steps.map((s) => s.id)).toEqual(['provider', 'key', 'test', 'firstTask']);
    for (const step of w[0]!.steps) {
      for (const m of step.description.matchAll(/\(command:([\w.]+)\)/g)) expect(ids.has(m[1]!), m[1]).toBe(true);
      expect(readFileSync(path.resolve(__dirname, '../../..', step.media.markdown), 'utf8').length).toBeGreaterThan(50);
      expect(step.completionEvents.length).toBeGreaterThan(0);
    }
  });

  it('the side panel is a webview view in its own activity-bar container and activates the extension', () => {
    expect(pkg.contributes.viewsContainers.activitybar.map((c) => c.id)).toContain(CONTAINER_ID);
    expect(pkg.contributes.views[CONTAINER_ID]).toEqual([
      expect.objectContaining({ id: VIEW_ID, type: 'webview' }),
      // Team Runs shows only where a team database is configured (issue 19).
      expect.objectContaining({ id: 'agentHarness.teamRuns', when: expect.stringContaining('config.agentHarness.team.databaseUrl') }),
    ]);
    expect(pkg.activationEvents).toContain(`onView:${VIEW_ID}`);
  });

  it('documents every setting the code reads, and restricts the security-relevant ones in untrusted workspaces', () => {
    const props = pkg.contributes.configuration.properties;
    expect(Object.keys(props).sort()).toEqual(SETTING_KEYS.map((k) => `agentHarness.${k}`).sort());
    for (const [k, v] of Object.entries(props)) expect(v.markdownDescription ?? v.description, k).toBeTruthy();
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
    for (const k of ['gateway.url', 'sandbox.mode', 'commands.allowed', 'approvals.autoApproveEdits', 'team.databaseUrl']) {
      expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain(`agentHarness.${k}`);
    }
  });
});
