import path from 'node:path';
import type { Sandbox } from '../../core/ports';
import type { OpenSandboxOptions, OpenSandboxResult } from './openSandboxTypes';
import { LocalSandbox } from './localSandbox';
import { pruneSpillDir } from './spillDir';
import { AuditedSandbox } from './auditedSandbox';
import { EgressReportingSandbox, openLocalEgress } from './sandboxEgress';
import { IntegrityLog } from '../integrity/integrityLog';
import { stateLocation } from '../ledger/stateLocation';

export type { OpenSandboxFailure, OpenSandboxOptions, OpenSandboxResult } from './openSandboxTypes';

export async function openSandbox(options: OpenSandboxOptions): Promise<OpenSandboxResult> {
  const spillDir = options.spillDir ?? path.join(options.workspaceRoot, '.agent-harness', 'spill');
  // Best effort: old spilled outputs are only useful for a while.
  pruneSpillDir(spillDir);
  if (options.mode === 'local') {
    // Local mode cannot be walled off; its commands are pointed at the egress proxy (best effort: a
    // program may ignore HTTP_PROXY, which is one more reason local mode asks before every command).
    const egress = await openLocalEgress(options.egress ?? {});
    const sandbox = new LocalSandbox({ workspaceRoot: options.workspaceRoot, spillDir, outputCapBytes: options.outputCapBytes, hostEnv: options.hostEnv, extraEnv: egress.env });
    return { ok: true, sandbox: audited(new EgressReportingSandbox(sandbox, egress), spillDir, options), notices: [sandbox.describe()] };
  }

  // Docker's client (dockerode and what it loads) is initialised only for a container sandbox.
  const { openContainerSandbox } = await import('./openContainerSandbox');
  return openContainerSandbox(options, spillDir, (sandbox) => audited(sandbox, spillDir, options));
}

/** Every sandbox is audited after each command; the spill folder is written from the host and left out. */
function audited(sandbox: Sandbox, spillDir: string, options: OpenSandboxOptions): AuditedSandbox {
  const state = stateLocation(options.stateDir);
  const spillRel = path.relative(options.workspaceRoot, spillDir).split(path.sep).join('/');
  return new AuditedSandbox(sandbox, {
    workspaceRoot: options.workspaceRoot,
    quarantineDir: state.quarantineDir,
    integrity: new IntegrityLog(state.integrityDir),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(spillRel && !spillRel.startsWith('..') ? { exclude: [spillRel] } : {}),
    ...(options.onAudit ? { onAudit: options.onAudit } : {}),
  });
}
