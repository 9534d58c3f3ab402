import { z } from 'zod';
import { denyEntryProblem } from '../../core/policy/command/denyRules';
import { PriceTableSchema, type PriceTable } from '../../core/model/pricing';

/**
 * The extension's settings (contributes.configuration in package.json documents each one) as one
 * validated object. A bad value is reported with the setting's full name, never as a stack trace.
 */
export const ExtensionSettingsSchema = z.object({
  'gateway.url': z.string().trim().default(''),
  'gateway.protocol': z.enum(['openai', 'anthropic']).default('openai'),
  'gateway.model': z.string().trim().default(''),
  'gateway.fallbackModels': z.array(z.string().trim().min(1)).default([]),
  'gateway.headers': z.record(z.string(), z.string()).default({}),
  'gateway.prices': PriceTableSchema.default({}),
  'sandbox.mode': z.enum(['container', 'local']).default('container'),
  'sandbox.image': z.string().trim().default(''),
  'commands.allowed': z.array(z.string().trim().min(1)).default([]),
  'commands.denied': z
    .array(
      z.string().trim().superRefine((entry, ctx) => {
        const problem = denyEntryProblem(entry);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .default([]),
  'approvals.autoApproveEdits': z.array(z.string().trim().min(1)).default([]),
  'approvals.autoApprove': z.enum(['off', 'edits', 'commands', 'all']).default('off'),
  'limits.maxTurns': z.number().int().positive().default(50),
  'limits.maxTokens': z.number().int().positive().default(2_000_000),
  'limits.maxCostUsd': z.number().nonnegative().default(0),
  profile: z.string().trim().default('coder'),
  /** How long runs keep their traces, journals, checkpoints and quarantined entries (the CLI: AGENT_HARNESS_RETENTION_DAYS). */
  'retention.days': z.number().int().min(1).default(30),
  /** How many calendar months of the usage ledger are kept, this one included. */
  'retention.ledgerMonths': z.number().int().min(1).default(13),
  /** Notifications in a window that is not focused when an approval is needed or a run finishes (read by attentionHost.ts). */
  'notifications.enabled': z.boolean().default(true),
  /** The team-mode database for the Team Runs view (read by extension/team/teamRunsView.ts). */
  'team.databaseUrl': z.string().trim().default(''),
});
export type ExtensionSettings = z.infer<typeof ExtensionSettingsSchema>;
export type SettingKey = keyof ExtensionSettings;
export const SETTING_KEYS = Object.keys(ExtensionSettingsSchema.shape) as SettingKey[];

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Denials add up across scopes: a workspace may add to the user's "never" list, never take from it,
 * trusted or not (the effective value alone would let a workspace value replace the user's list).
 */
export function unionOfScopes(inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): string[] | undefined {
  if (!inspected) return undefined;
  const all = [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
  return all.length > 0 ? [...new Set(all)] : undefined;
}

/** `get` returns the effective value of `agentHarness.<key>` or undefined when unset. */
export function parseSettings(get: (key: SettingKey) => unknown): ExtensionSettings {
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const v = get(key);
    if (v !== undefined && v !== null) raw[key] = v;
  }
  const parsed = ExtensionSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new SettingsError(`Setting agentHarness.${key} is invalid: ${issue?.message ?? 'bad value'}.`);
  }
  return parsed.data;
}

/** Where model calls go, merged from the settings and the environment (settings win). */
export interface GatewayChoice {
  url: string;
  protocol: 'openai' | 'anthropic';
  model: string;
  headers: Record<string, string>;
  fallbackModels: string[];
  /** agentHarness.gateway.prices: the user's prices over the catalog's. */
  prices: PriceTable;
}

/**
 * The gateway, or the one sentence that says what is missing. The environment variables are the
 * same as the CLI's, so `npm start` and a shell that already exports them need no settings.
 */
export function resolveGateway(
  s: ExtensionSettings,
  env: Record<string, string | undefined>,
  protocolSetExplicitly: boolean,
): { ok: true; gateway: GatewayChoice } | { ok: false; message: string } {
  const url = s['gateway.url'] || env.AGENT_HARNESS_GATEWAY_URL?.trim() || '';
  const model = s['gateway.model'] || env.AGENT_HARNESS_MODEL?.trim() || '';
  const envProtocol = env.AGENT_HARNESS_PROTOCOL?.trim();
  const protocol = !protocolSetExplicitly && (envProtocol === 'openai' || envProtocol === 'anthropic') ? envProtocol : s['gateway.protocol'];
  if (!url) return { ok: false, message: 'No model gateway is configured. Set agentHarness.gateway.url (or AGENT_HARNESS_GATEWAY_URL) to an OpenAI-compatible or Anthropic endpoint.' };
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return { ok: false, message: `agentHarness.gateway.url must be an http(s) URL, got "${url}".` };
  if (!model) return { ok: false, message: 'No model is configured. Set agentHarness.gateway.model (or AGENT_HARNESS_MODEL).' };
  // Secret headers (a gateway's own key) belong in the environment, not in plain-text settings.
  const envHeaders = headersFromEnv(env.AGENT_HARNESS_HEADERS);
  if ('error' in envHeaders) return { ok: false, message: envHeaders.error };
  return { ok: true, gateway: { url, protocol, model, headers: { ...envHeaders.headers, ...s['gateway.headers'] }, fallbackModels: s['gateway.fallbackModels'], prices: s['gateway.prices'] } };
}

/** AGENT_HARNESS_HEADERS, a JSON object of header names to values, as the CLI reads it. */
function headersFromEnv(raw: string | undefined): { headers: Record<string, string> } | { error: string } {
  if (!raw?.trim()) return { headers: {} };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: 'AGENT_HARNESS_HEADERS must be a JSON object of header names to values.' };
  }
  const res = z.record(z.string(), z.string()).safeParse(json);
  return res.success ? { headers: res.data } : { error: 'AGENT_HARNESS_HEADERS must be a JSON object of header names to string values.' };
}
