import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { runAgent } from '../../core/agent/loop';
import { renderMarkdown } from '../../core/eval/evalReport';
import { attemptsOf, runEval, type AttemptRun, type EvalAssembler } from '../../core/eval/runEval';
import { loadSuite, SuiteError } from '../../core/eval/suite';
import { autoApprover, refuseUnattended } from '../../core/policy/autoApproval';
import { DEFAULT_PROFILE_NAME } from '../../core/profiles/builtinProfiles';
import { assembleRun } from '../../core/session/assembleRun';
import { openSandbox } from '../../adapters/sandbox/openSandbox';
import type { AgentController } from '../agentController';
import { asSettingsError, extensionBudgets } from '../gateway/gatewayHost';
import type { RunInputs } from '../gateway/windowConfig';

/**
 * "Agent Harness: Run Eval Suite…": picks a suite file, runs it on the same governed core as a task
 * (the window's gateway, ledger and budgets; the sandbox settings; each attempt on a fresh copy, edits
 * applied, commands as the policy allows, nobody asked), shows progress, and opens the report. The
 * report (Markdown) and the JSON (a baseline for the CLI's --gate) land in `.agent-harness/evals/`.
 */
export async function runEvalSuiteCommand(context: vscode.ExtensionContext, controller: AgentController, log: vscode.OutputChannel): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return void vscode.window.showInformationMessage(vscode.l10n.t('Agent Harness: open a folder with an eval suite first.'));
  if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage(vscode.l10n.t('Agent Harness: evals run the agent and check commands, so they need a trusted workspace.'));
  const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Agent Harness: Run Eval Suite'), defaultUri: folder.uri, canSelectMany: false, filters: { 'Eval suite': ['yaml', 'yml'] } });
  const file = picked?.[0]?.fsPath;
  if (!file) return;
  let suite;
  let inputs;
  try {
    suite = await loadSuite(file);
    inputs = await controller.runInputs();
  } catch (e) {
    // By name: this file is its own bundle (dist/eval-vscode.js), and a SettingsError comes from the controller's copy of the class.
    if (e instanceof SuiteError || (e instanceof Error && e.name === 'SettingsError')) return void vscode.window.showErrorMessage(vscode.l10n.t('Agent Harness: {0}', e.message));
    throw e;
  }
  const plan = { suite, models: [undefined], profiles: [inputs.settings.profile ?? DEFAULT_PROFILE_NAME], repeat: 1, concurrency: 2 };
  const total = attemptsOf(plan).length;
  const assembler = extensionEvalAssembler(context, controller, inputs);
  log.appendLine(`[eval] ${suite.name}: ${total} attempts`);
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Eval ${suite.name}`, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return runEval(plan, assembler, ac.signal, (r, done) => {
      const line = `${r.case}: ${r.passed ? 'passed' : `failed (${r.failures[0] ?? ''})`}`;
      log.appendLine(`[eval] [${done}/${total}] ${line}`);
      progress.report({ increment: 100 / total, message: `${done}/${total} · ${line}` });
    });
  });
  const dir = path.join(folder.uri.fsPath, '.agent-harness', 'evals');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const md = path.join(dir, `${suite.name}-${stamp}.md`);
  await writeFile(md, renderMarkdown(report));
  await writeFile(path.join(dir, `${suite.name}-${stamp}.json`), `${JSON.stringify(report)}\n`);
  const s = report.summary;
  void vscode.window.showInformationMessage(`Agent Harness: eval ${suite.name}: ${s.passed}/${s.attempts} passed, $${s.costUsd.toFixed(4)}.`);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(md));
}

function extensionEvalAssembler(context: vscode.ExtensionContext, controller: AgentController, inputs: RunInputs): EvalAssembler {
  const { settings, gateway, key } = inputs;
  const wasmDirs = [path.join(context.extensionPath, 'dist')];
  return {
    wasmDirs,
    async open(req): Promise<AttemptRun> {
      const services = await controller.gateways.services(key, gateway);
      let opened: Awaited<ReturnType<typeof openSandbox>> | undefined;
      try {
        // The core's one run assembly, as a panel run has it: the eval's model, else the picked one, else the profile's.
        const model = req.model ?? inputs.pickedModel;
        const assembled = await assembleRun(
          {
            root: req.root,
            task: req.task,
            profileName: req.profile,
            ...(model !== undefined ? { model } : {}),
            budgets: extensionBudgets(settings, req.maxCostUsd),
            ...(req.maxTurns !== undefined ? { limitOverrides: { maxTurns: req.maxTurns } } : {}),
            label: req.label,
          },
          {
            openModel: controller.gateways.modelFactory(services, { gateway, key }),
            openCommands: async () => {
              opened = await openSandbox({ mode: settings['sandbox.mode'], workspaceRoot: req.root, stateDir: context.globalStorageUri.fsPath, ...(settings['sandbox.image'] ? { image: settings['sandbox.image'] } : {}) });
              return opened.ok ? { sandbox: opened.sandbox, allow: settings['commands.allowed'], deny: settings['commands.denied'], wasmDirs } : { disabled: opened.message };
            },
            builtinSkillsDir: path.join(context.extensionPath, 'skills'),
            autoApproveEdits: true,
            approver: autoApprover('edits', refuseUnattended('edits')),
          },
        ).catch((e: unknown) => {
          throw asSettingsError(e);
        });
        const { changeSet } = assembled.prepared;
        const sandbox = opened;
        return {
          model: assembled.options.model.model,
          async run(signal) {
            let turns = 0;
            const result = await runAgent({
              task: req.task,
              ...assembled.options,
              signal,
              sinks: [...assembled.options.sinks, (ev) => void (ev.type === 'model_call_started' && turns++)],
            });
            return { result: { ...result, filesChanged: changeSet.list().filter((f) => f.state === 'applied').map((f) => f.path).sort() }, turns };
          },
          commands: () => (sandbox?.ok ? sandbox.sandbox : (sandbox?.message ?? 'commands are off')),
          async dispose() {
            if (sandbox?.ok) await sandbox.sandbox.dispose();
            await services.flush();
          },
        };
      } catch (e) {
        const o = opened as Awaited<ReturnType<typeof openSandbox>> | undefined;
        if (o?.ok) await o.sandbox.dispose();
        throw e;
      }
    },
  };
}
