import os from 'node:os';
import type Docker from 'dockerode';
import type { CommandRequest, CommandResult, Sandbox } from '../../core/ports';
import { DEFAULT_EGRESS_ALLOW } from '../../core/policy/egressPolicy';
import { startEgressProxy, type EgressCredential, type EgressProxy } from '../egress/egressProxy';
import type { ScanAware } from './auditedSandbox';
import type { WorkspaceScan } from './workspaceScan';

/**
 * The network path of a sandbox whose commands may reach the network (local mode; a container with
 * --allow-network): the egress proxy, and for a container an internal Docker network whose only way
 * out is that proxy (listening on the network's gateway, on the host). The environment points every
 * common client at the proxy, and at plain-HTTP registry URLs for hosts whose credentials the proxy
 * adds, so the key stays on the host.
 */
export interface EgressOptions {
  /** Hosts beyond the default (the public package registries). */
  allow?: readonly string[];
  credentials?: readonly EgressCredential[];
}

export interface SandboxEgress {
  proxy: EgressProxy;
  /** The Docker network a container joins (container mode only). */
  network?: string;
  /** Environment for commands: the proxy variables and registry hints. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const egressNetworkLabel = 'dev.agent-harness.egress';

export async function openLocalEgress(options: EgressOptions): Promise<SandboxEgress> {
  const proxy = await startEgressProxy({ allow: allowOf(options), credentials: options.credentials ?? [], host: '127.0.0.1' });
  return { proxy, env: proxyEnv(proxy.url, options.credentials ?? []), close: () => proxy.close() };
}

export async function openContainerEgress(docker: Docker, options: EgressOptions): Promise<SandboxEgress> {
  const name = `agent-harness-egress-${process.pid}-${Date.now().toString(36)}`;
  const network = await docker.createNetwork({
    Name: name,
    Internal: true,
    Labels: { [egressNetworkLabel]: '1', [`${egressNetworkLabel}.host`]: os.hostname(), [`${egressNetworkLabel}.pid`]: String(process.pid) },
  });
  try {
    const info = await network.inspect();
    const gateway = (info.IPAM?.Config?.[0] as { Gateway?: string } | undefined)?.Gateway;
    if (!gateway) throw new Error(`the sandbox network ${name} has no gateway address for the egress proxy`);
    const proxy = await startEgressProxy({ allow: allowOf(options), credentials: options.credentials ?? [], host: gateway });
    return {
      proxy,
      network: name,
      env: proxyEnv(proxy.url, options.credentials ?? []),
      async close() {
        await proxy.close();
        await network.remove().catch(() => undefined);
      },
    };
  } catch (error) {
    await network.remove().catch(() => undefined);
    throw error;
  }
}

function allowOf(options: EgressOptions): string[] {
  return [...new Set([...DEFAULT_EGRESS_ALLOW, ...(options.allow ?? [])])];
}

function proxyEnv(url: string, credentials: readonly EgressCredential[]): Record<string, string> {
  const env: Record<string, string> = { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, NO_PROXY: 'localhost,127.0.0.1', no_proxy: 'localhost,127.0.0.1' };
  const hosts = new Set(credentials.map((c) => c.host.toLowerCase()));
  if (hosts.has('registry.npmjs.org')) env.npm_config_registry = 'http://registry.npmjs.org/';
  if (hosts.has('pypi.org')) env.PIP_INDEX_URL = 'http://pypi.org/simple';
  return env;
}

/** Adds what the proxy refused during a command to its result, and closes the egress with the sandbox. */
export class EgressReportingSandbox implements Sandbox, ScanAware {
  readonly mode: Sandbox['mode'];
  constructor(
    private readonly inner: Sandbox & Partial<ScanAware>,
    private readonly egress: SandboxEgress,
  ) {
    this.mode = inner.mode;
  }

  describe(): string {
    return `${this.inner.describe()}; network only through the egress proxy (package registries and configured hosts)`;
  }

  useScan(scan: WorkspaceScan): void {
    this.inner.useScan?.(scan);
  }

  placeholders(): string[] {
    return this.inner.placeholders?.() ?? [];
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const mark = this.egress.proxy.mark();
    const result = await this.inner.run(request);
    const refused = this.egress.proxy.refusedSince(mark);
    return refused.length > 0 ? { ...result, egressRefused: [...(result.egressRefused ?? []), ...refused.slice(0, 20)] } : result;
  }

  async dispose(): Promise<void> {
    try {
      await this.inner.dispose();
    } finally {
      await this.egress.close();
    }
  }
}

/** `{"registry.npmjs.org": "NPM_TOKEN"}` (host -> name of a host environment variable holding a bearer token). */
export function credentialsFromEnv(json: string | undefined, env: Record<string, string | undefined>): { credentials: EgressCredential[]; problems: string[] } {
  if (!json) return { credentials: [], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { credentials: [], problems: ['AGENT_HARNESS_EGRESS_CREDENTIALS is not valid JSON (expected {"host": "ENV_VAR_NAME"})'] };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { credentials: [], problems: ['AGENT_HARNESS_EGRESS_CREDENTIALS must be a JSON object {"host": "ENV_VAR_NAME"}'] };
  const credentials: EgressCredential[] = [];
  const problems: string[] = [];
  for (const [host, name] of Object.entries(parsed as Record<string, unknown>)) {
    const value = typeof name === 'string' ? env[name] : undefined;
    if (!value) problems.push(`AGENT_HARNESS_EGRESS_CREDENTIALS: ${host} names ${String(name)}, which is not set in the environment`);
    else credentials.push({ host, header: 'authorization', value: `Bearer ${value}` });
  }
  return { credentials, problems };
}
