/**
 * The providers the first-run walkthrough offers. Each fills the gateway URL, protocol and model; the
 * key is set apart (SecretStorage). URLs are the providers' documented API bases as the official SDKs
 * take them (OpenAI-compatible ones end in /v1, LiteLLM's proxy answers on its root and /v1).
 */
export interface ProviderPreset {
  id: string;
  label: string;
  detail: string;
  protocol: 'openai' | 'anthropic';
  /** Absent: the person types it (a company gateway). */
  url?: string;
  model: string;
  /** Local servers (Ollama) need no key. */
  needsKey: boolean;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', detail: 'api.openai.com, GPT models', protocol: 'openai', url: 'https://api.openai.com/v1', model: 'gpt-4.1', needsKey: true },
  { id: 'anthropic', label: 'Anthropic', detail: 'api.anthropic.com, Claude models', protocol: 'anthropic', url: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', needsKey: true },
  { id: 'openrouter', label: 'OpenRouter', detail: 'openrouter.ai, many providers behind one key', protocol: 'openai', url: 'https://openrouter.ai/api/v1', model: 'anthropic/claude-sonnet-4.5', needsKey: true },
  { id: 'litellm', label: 'LiteLLM proxy', detail: 'a LiteLLM proxy on this machine (port 4000)', protocol: 'openai', url: 'http://localhost:4000/v1', model: 'gpt-4.1', needsKey: true },
  { id: 'ollama', label: 'Ollama', detail: 'local models on this machine (port 11434), no key', protocol: 'openai', url: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b', needsKey: false },
  { id: 'company', label: 'Company gateway', detail: 'your organisation’s OpenAI- or Anthropic-compatible gateway', protocol: 'openai', model: '', needsKey: true },
];
