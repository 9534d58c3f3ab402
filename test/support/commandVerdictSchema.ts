import { z } from 'zod';
import type { CommandVerdict } from '../../src/core/policy/command/policyTypes';

const Risk = z.enum(['code', 'network', 'destructive', 'protected', 'secret', 'write', 'unlisted', 'syntax', 'local']);
const Verdict = z.enum(['allow', 'ask', 'deny']);

/** The JSON contract of a command verdict (`policy check-command --json`), strict so a stray or missing field fails. */
export const CommandVerdictSchema: z.ZodType<CommandVerdict> = z.strictObject({
  verdict: Verdict,
  reasons: z.array(z.string()),
  risks: z.array(Risk),
  segments: z.array(
    z.strictObject({
      argv: z.array(z.string()),
      joiner: z.enum(['&&', '||', ';', '|']).optional(),
      verdict: Verdict,
      reason: z.string(),
      risks: z.array(Risk),
      capability: z.enum(['code', 'network']).optional(),
    }),
  ),
  segmentsExact: z.boolean(),
});
