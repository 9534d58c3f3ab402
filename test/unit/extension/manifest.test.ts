import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY, COMMANDS, CONTAINER_ID, VIEW_ID } from '../../../src/extension/commandTable';
import { SETTING_KEYS } from '../../../src/extension/extensionSettings';

interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
    views: Record<string, { id: string; type: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
  };
}
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;

describe('package.json contributes match the code', () => {
  it('contributes exactly the command table, all in the Agent Harness category', () => {
    expect(pkg.contributes.commands.map((c) => [c.command, c.title, c.category])).toEqual(COMMANDS.map((c) => [c.id, c.title, CATEGORY]));
    const hidden = pkg.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command).sort();
    expect(hidden).toEqual(COMMANDS.filter((c) => !c.palette).map((c) => c.id).sort());
  });

  it('has the issue’s palette commands', () => {
    const titles = COMMANDS.filter((c) => c.palette).map((c) => c.title);
    for (const t of ['Run Task…', 'Ask About Selection', 'Fix Problems in File', 'Write Tests for File', 'Review Current Diff', 'Open Side Panel', 'Set Gateway Key', 'Clear Gateway Key', 'Undo Last Run', 'Show Run Log']) {
      expect(titles).toContain(t);
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
