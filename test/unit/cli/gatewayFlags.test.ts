import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { GATEWAY_FLAG_OPTIONS, parseFallback, parseGatewayFlags, urlForProtocol } from '../../../src/cli/gatewayFlags';
import { UsageError } from '../../../src/cli/cliIo';

describe('gateway flags', () => {
  it('parses repeatable fallbacks in order, and the budgets', () => {
    const { values } = parseArgs({
      args: ['--fallback-model', 'gpt-4o-mini', '--fallback-model', 'claude-haiku-4-5@anthropic', '--max-tokens', '50000', '--max-cost', '0.75'],
      options: GATEWAY_FLAG_OPTIONS,
      strict: true,
    });
    expect(parseGatewayFlags(values)).toEqual({
      fallbacks: [{ model: 'gpt-4o-mini' }, { model: 'claude-haiku-4-5', protocol: 'anthropic' }],
      maxTokens: 50_000,
      maxCostUsd: 0.75,
    });
  });

  it('keeps @ inside model names that are not a protocol suffix', () => {
    expect(parseFallback('openrouter/anthropic/claude@beta')).toEqual({ model: 'openrouter/anthropic/claude@beta' });
    expect(parseFallback('gpt-4o@openai')).toEqual({ model: 'gpt-4o', protocol: 'openai' });
  });

  it.each([
    [{ 'fallback-model': ['claude@antropic'] }, /unknown protocol "antropic"/],
    [{ 'fallback-model': ['@openai'] }, /needs a model name/],
    [{ 'max-tokens': '1e5' }, /--max-tokens must be a positive whole number/],
    [{ 'max-tokens': '0' }, /--max-tokens/],
    [{ 'max-cost': 'free' }, /--max-cost must be a positive amount/],
    [{ 'max-cost': '-1' }, /--max-cost/],
  ])('rejects %o clearly', (values, message) => {
    expect(() => parseGatewayFlags(values)).toThrow(UsageError);
    expect(() => parseGatewayFlags(values)).toThrow(message);
  });

  it('accepts a dollar sign on --max-cost', () => {
    expect(parseGatewayFlags({ 'max-cost': '$2' }).maxCostUsd).toBe(2);
  });

  it('maps a gateway URL to the other protocol by the /v1 convention', () => {
    expect(urlForProtocol('http://gw:4000/v1', 'openai', 'anthropic')).toBe('http://gw:4000');
    expect(urlForProtocol('https://openrouter.ai/api', 'anthropic', 'openai')).toBe('https://openrouter.ai/api/v1');
    expect(urlForProtocol('http://gw/v1/', 'openai', 'openai')).toBe('http://gw/v1');
  });
});
