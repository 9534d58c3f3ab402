/**
 * Where commands may reach when the network is on (local mode, --allow-network): through the egress
 * proxy only, to these hosts only. The default is the public package registries, so installing
 * dependencies works and nothing else does. Entries are host names, or `*.suffix` for any sub-domain.
 */
export const DEFAULT_EGRESS_ALLOW: readonly string[] = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'proxy.golang.org',
  'sum.golang.org',
  'index.crates.io',
  'static.crates.io',
  'crates.io',
  'repo.maven.apache.org',
  'repo1.maven.org',
  'rubygems.org',
  'api.nuget.org',
];

const ENTRY = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/;

export function egressEntryProblem(entry: string): string | undefined {
  return ENTRY.test(entry.toLowerCase()) ? undefined : `egress allowlist entry "${entry}" must be a host name or *.domain (no scheme, port or path)`;
}

/** True when `host` (no port) is covered by the allowlist. IP literals are never allowed by name. */
export function hostAllowed(host: string, allow: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[0-9.]+$/.test(h) || h.includes(':')) return false;
  return allow.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('*.') ? h.endsWith(e.slice(1)) && h.length > e.length - 1 : h === e;
  });
}
