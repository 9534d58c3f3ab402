import { calcPrice, type PriceOptions } from '@pydantic/genai-prices';
import type { Pricing } from '../../core/model/pricing';
import type { Usage } from '../../core/model/usage';

/**
 * Prices from @pydantic/genai-prices, a maintained catalog of providers and their models (dated
 * snapshots, tiered prices, cache reads and writes). A gateway's names are resolved as gateways write
 * them: as given (with the gateway URL as a provider hint, e.g. OpenRouter), then without the hint,
 * then `provider/model` as that provider's model, as an OpenRouter name, and as the bare model. A
 * model none of these finds has no price: `undefined`, never 0.
 *
 * This module is its own bundle (dist/prices.js, ~0.5 MB of price data), loaded on the first run.
 */
type Attempt = [model: string, options: PriceOptions];

export function genaiPricesPricing(gatewayUrl?: string): Pricing {
  const winners = new Map<string, number>();
  return {
    cost(model: string, usage: Usage): number | undefined {
      const u = {
        // The catalog counts cached tokens inside input_tokens; our counters keep them apart.
        input_tokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
        cache_read_tokens: usage.cacheReadTokens,
        cache_write_tokens: usage.cacheWriteTokens,
        output_tokens: usage.outputTokens,
      };
      const attempts = attemptsFor(model, gatewayUrl);
      const known = winners.get(model);
      if (known !== undefined) return priceWith(u, attempts[known]!);
      for (const [i, a] of attempts.entries()) {
        const price = priceWith(u, a);
        if (price !== undefined) {
          winners.set(model, i);
          return price;
        }
      }
      return undefined;
    },
  };
}

function priceWith(usage: Record<string, number>, [model, options]: Attempt): number | undefined {
  try {
    const r = calcPrice(usage, model, options);
    return r ? r.total_price : undefined;
  } catch {
    return undefined;
  }
}

function attemptsFor(model: string, gatewayUrl: string | undefined): Attempt[] {
  const out: Attempt[] = [];
  if (gatewayUrl) out.push([model, { providerApiUrl: gatewayUrl }]);
  out.push([model, {}]);
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = model.slice(0, slash);
    const rest = model.slice(slash + 1);
    out.push([rest, { providerId: provider }], [model, { providerId: 'openrouter' }], [model.slice(model.lastIndexOf('/') + 1), {}]);
  }
  return out;
}
