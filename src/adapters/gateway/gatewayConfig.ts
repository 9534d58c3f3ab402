import { z } from 'zod';
import { PROTOCOLS } from '../../core/model/modelClient';

/**
 * Where model calls go. The key is deliberately not part of any settings schema: it is passed in
 * separately from SecretStorage or the environment, so it can never be written to a settings file.
 */
export const GatewayConfigSchema = z.object({
  url: z
    .string({ error: 'gateway URL is missing' })
    .min(1, 'gateway URL is missing')
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'gateway URL must be an http(s) URL' }),
  protocol: z.enum(PROTOCOLS as [string, ...string[]], {
    error: (iss) => `unknown protocol "${String(iss.input)}": use openai or anthropic`,
  }).transform((p) => p as 'openai' | 'anthropic'),
  model: z.string().min(1, 'model name is missing'),
  /** Extra headers for gateways that authenticate or route with their own headers. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Per-request timeout before the response starts. */
  timeoutMs: z.number().int().positive().default(600_000),
  /** Retries done by the SDK itself. The production retry layer sets this to 0 and retries on its own. */
  sdkMaxRetries: z.number().int().nonnegative().default(2),
});
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;

/** Used in place of a missing key so the SDKs never fall back to provider env vars such as OPENAI_API_KEY. */
export const NO_KEY = 'no-key-configured';

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
