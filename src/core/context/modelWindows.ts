import { z } from 'zod';

/** Context windows in tokens, per model name. Users extend or override it (settings or the CLI), as with prices. */
export const ModelWindowTableSchema = z.record(z.string(), z.number().int().positive());
export type ModelWindowTable = z.infer<typeof ModelWindowTableSchema>;

export const DEFAULT_CONTEXT_WINDOW = 128_000;

export const DEFAULT_MODEL_WINDOWS: ModelWindowTable = {
  'gpt-4o': 128_000,
  'gpt-4o-mini': 128_000,
  'gpt-4.1': 1_047_576,
  'gpt-4.1-mini': 1_047_576,
  'gpt-5': 400_000,
  'gpt-5-mini': 400_000,
  'o4-mini': 200_000,
  claude: 200_000,
  'claude-opus-4-1': 200_000,
  'claude-sonnet-4-5': 200_000,
  'claude-sonnet-4-0': 200_000,
  'claude-haiku-4-5': 200_000,
  'claude-3-5-haiku-latest': 200_000,
};

/**
 * The window of a model: exact name, then the name without a gateway prefix (`openai/gpt-4o`), then the
 * longest table key that prefixes it (dated snapshots), then the default. User entries win over built-in ones.
 */
export function contextWindowFor(model: string, userTable: ModelWindowTable = {}): number {
  const table = { ...DEFAULT_MODEL_WINDOWS, ...userTable };
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const exact = table[model] ?? table[bare];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) if (bare.startsWith(key) && (!best || key.length > best.length)) best = key;
  return best ? (table[best] ?? DEFAULT_CONTEXT_WINDOW) : DEFAULT_CONTEXT_WINDOW;
}
