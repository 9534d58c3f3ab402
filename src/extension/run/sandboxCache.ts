import type { Sandbox } from '../../core/ports';
import type { ExtensionSettings } from '../gateway/extensionSettings';

type Opened = { ok: true; sandbox: Sandbox } | { ok: false; message: string };

/**
 * The window's one sandbox, kept between runs while its mode, image and folder stay the same; a
 * change disposes the old one first. A sandbox that failed to open is tried again on the next run
 * (Docker may have started meanwhile). Docker's client loads only when container mode is used.
 */
export class SandboxCache {
  private current: { key: string; result: Promise<Opened> } | undefined;

  constructor(private readonly stateDir: string) {}

  async open(settings: ExtensionSettings, root: string): Promise<Opened> {
    const key = `${settings['sandbox.mode']}|${settings['sandbox.image']}|${root}`;
    if (!this.current || this.current.key !== key) {
      const previous = this.current;
      this.current = {
        key,
        result: (async (): Promise<Opened> => {
          if (previous) await previous.result.then((r) => (r.ok ? r.sandbox.dispose() : undefined)).catch(() => undefined);
          const { openSandbox } = await import('../../adapters/sandbox/openSandbox');
          const r = await openSandbox({ mode: settings['sandbox.mode'], workspaceRoot: root, stateDir: this.stateDir, ...(settings['sandbox.image'] ? { image: settings['sandbox.image'] } : {}) });
          return r.ok ? { ok: true, sandbox: r.sandbox } : { ok: false, message: r.message };
        })().catch((e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) })),
      };
    }
    const r = await this.current.result;
    if (!r.ok) this.current = undefined;
    return r;
  }

  dispose(): void {
    void this.current?.result.then((r) => (r.ok ? r.sandbox.dispose() : undefined)).catch(() => undefined);
  }
}
