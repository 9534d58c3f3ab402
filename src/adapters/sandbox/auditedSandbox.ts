import path from 'node:path';
import type { CommandRequest, CommandResult, Sandbox } from '../../core/ports';
import type { IntegrityLog } from '../integrity/integrityLog';
import { auditCommand, type AuditOutcome } from './commandAudit';
import { scanWorkspace, type WorkspaceScan } from './workspaceScan';

/** A sandbox that can reuse the scan the audit took just before a command (the Docker sandbox mounts from it). */
export interface ScanAware {
  useScan(scan: WorkspaceScan): void;
  /** Folders the sandbox itself created (empty read-only placeholders), left out of the audit. */
  placeholders(): string[];
}

export interface AuditedSandboxOptions {
  workspaceRoot: string;
  /** Base folder for quarantined entries (outside the workspace); each audit gets its own sub-folder. */
  quarantineDir: string;
  /** Where protected changes are recorded, so host actions ask a person before touching them. */
  integrity?: IntegrityLog;
  runId?: string;
  configDirName?: string;
  /** Workspace-relative paths the audit leaves alone (the sandbox's spill folder, written from the host). */
  exclude?: readonly string[];
  /** Told about every audit that found something (for events and logs). */
  onAudit?: (outcome: AuditOutcome, request: CommandRequest) => void;
}

/**
 * Wraps any sandbox (container or local) with the audit after every command: a scan before, the
 * command, a scan after, and the differences put back (auditCommand). The command's result carries
 * what was found, so the model learns that its planted hook is gone and why.
 */
export class AuditedSandbox implements Sandbox {
  readonly mode: Sandbox['mode'];

  constructor(
    private readonly inner: Sandbox & Partial<ScanAware>,
    private readonly options: AuditedSandboxOptions,
  ) {
    this.mode = inner.mode;
  }

  describe(): string {
    return this.inner.describe();
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const scanOptions = () => ({ configDirName: this.options.configDirName, exclude: [...(this.options.exclude ?? []), ...(this.inner.placeholders?.() ?? [])] });
    const before = await scanWorkspace(this.options.workspaceRoot, scanOptions());
    this.inner.useScan?.(before);
    let result: CommandResult | undefined;
    let failure: unknown;
    try {
      result = await this.inner.run(request);
    } catch (error) {
      failure = error;
    }
    // Audited even when the command failed to finish: it may have written before it failed.
    const after = await scanWorkspace(this.options.workspaceRoot, scanOptions());
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const outcome = await auditCommand(before, after, { workspaceRoot: this.options.workspaceRoot, quarantineDir: path.join(this.options.quarantineDir, stamp) });
    if (outcome.protectedChanged) {
      await this.options.integrity?.record(this.options.workspaceRoot, outcome.changes.filter((c) => c.what !== 'executable'), this.options.runId);
    }
    if (outcome.changes.length > 0 || outcome.manifestsChanged.length > 0) this.options.onAudit?.(outcome, request);
    if (failure !== undefined) throw failure;
    const audit = outcome.changes.map((c) => c.detail);
    if (before.truncated || after.truncated) audit.push('the workspace is too large to audit completely; only the part nearest the root was checked');
    return {
      ...result!,
      ...(audit.length > 0 ? { audit: [...(result!.audit ?? []), ...audit] } : {}),
      ...(outcome.manifestsChanged.length > 0 ? { manifestsChanged: outcome.manifestsChanged } : {}),
    };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
