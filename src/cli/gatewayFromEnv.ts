import { z } from 'zod';
import { GatewayConfigSchema, type GatewayConfig } from '../adapters/gateway/gatewayConfig';
import { UsageError } from './cliIo';

export interface GatewayFlags {
  gatewayUrl?: string;
  protocol?: string;
  model?: string;
}

/** Flags win over the environment. Every problem is one sentence that names the flag and the variable. */
export function gatewayFromFlagsAndEnv(flags: GatewayFlags, env: NodeJS.ProcessEnv): { config: GatewayConfig; apiKey: string | undefined } {
  const { config, apiKey } = gatewayEndpointFromFlagsAndEnv(flags, env);
  const model = flags.model ?? config.model;
  if (!model) throw new UsageError('no model configured: pass --model NAME or set AGENT_HARNESS_MODEL');
  return { config: { ...config, model }, apiKey };
}

/**
 * The gateway without a model choice: URL, protocol, headers and the key, and AGENT_HARNESS_MODEL as
 * the default model (a run may choose its own: --model, the profile's). Checked before anything starts.
 */
export function gatewayEndpointFromFlagsAndEnv(flags: Omit<GatewayFlags, 'model'>, env: NodeJS.ProcessEnv): { config: Omit<GatewayConfig, 'model'> & { model?: string }; apiKey: string | undefined } {
  const url = flags.gatewayUrl ?? env.AGENT_HARNESS_GATEWAY_URL;
  if (!url) throw new UsageError('no gateway configured: pass --gateway-url URL or set AGENT_HARNESS_GATEWAY_URL');
  const protocol = flags.protocol ?? env.AGENT_HARNESS_PROTOCOL ?? 'openai';
  const model = env.AGENT_HARNESS_MODEL || undefined;
  const parsed = GatewayConfigSchema.safeParse({ url, protocol, model: model ?? 'unset', headers: parseHeaders(env.AGENT_HARNESS_HEADERS) });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path[0] === 'protocol' ? '--protocol / AGENT_HARNESS_PROTOCOL' : first?.path[0] === 'url' ? '--gateway-url / AGENT_HARNESS_GATEWAY_URL' : String(first?.path[0] ?? 'gateway');
    throw new UsageError(`${first?.message ?? 'invalid gateway configuration'} (${where})`);
  }
  const { model: _unset, ...rest } = parsed.data;
  const apiKey = env.AGENT_HARNESS_API_KEY || undefined;
  return { config: { ...rest, ...(model ? { model } : {}) }, apiKey };
}

/** AGENT_HARNESS_HEADERS is a JSON object of extra headers, e.g. {"x-litellm-team": "web"}. */
function parseHeaders(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UsageError('AGENT_HARNESS_HEADERS must be a JSON object of header names to values');
  }
  const res = z.record(z.string(), z.string()).safeParse(json);
  if (!res.success) throw new UsageError('AGENT_HARNESS_HEADERS must be a JSON object of header names to string values');
  return res.data;
}
