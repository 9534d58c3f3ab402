import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { GATEWAY_FLAG_OPTIONS, parseGatewayFlags } from '../../../src/cli/gatewayFlags';
import { UsageError } from '../../../src/cli/cliIo';

describe('gateway flags', () => {
  it('parses repeatable fallbacks in order, and the budgets', async () => {
    const { values } = parseArgs({
      args: ['--fallback-model', 'gpt-4o-mini', '--fallback-model', 'claude-haiku-4-5@anthropic', '--max-tokens', '50000', '--max-cost', '0.75'],
      options: GATEWAY_FLAG_OPTIONS,
      strict: true,
    });
    expect(await parseGatewayFlags(values)).toEqual({
      fallbacks: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5', protocol: 'anthropic' }],
      maxTokens: 50_000,
      maxCostUsd: 0.75,
    });
  });

  it.each([
    [{ 'fallback-model': ['claude@antropic'] }, /unknown protocol "antropic"/],
    [{ 'fallback-model': ['@openai'] }, /needs a model name/],
    [{ 'max-tokens': '1e5' }, /--max-tokens must be a positive whole number/],
    [{ 'max-tokens': '0' }, /--max-tokens/],
    [{ 'max-cost': 'free' }, /--max-cost must be a positive amount/],
    [{ 'max-cost': '-1' }, /--max-cost/],
  ])('rejects %o clearly', async (values, message) => {
    await expect(parseGatewayFlags(values)).rejects.toThrow(UsageError);
    await expect(parseGatewayFlags(values)).rejects.toThrow(message);
  });

  it('accepts a dollar sign on --max-cost', async () => {
    expect((await parseGatewayFlags({ 'max-cost': '$2' })).maxCostUsd).toBe(2);
  });
});
