import type { ModelClient } from '../../core/model/modelClient';
import { GatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './gatewayConfig';

/**
 * Builds the model client for a gateway. The SDK modules load here, on first use, so activating the
 * extension or printing CLI help never pays for them.
 */
export async function createModelClient(input: GatewayConfigInput | GatewayConfig, apiKey: string | undefined): Promise<ModelClient> {
  const config = GatewayConfigSchema.parse(input);
  if (config.protocol === 'anthropic') {
    const { AnthropicModelClient } = await import('./anthropicClient');
    return new AnthropicModelClient(config, apiKey);
  }
  const { OpenAIModelClient } = await import('./openaiClient');
  return new OpenAIModelClient(config, apiKey);
}
