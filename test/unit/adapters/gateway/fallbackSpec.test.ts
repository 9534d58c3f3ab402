import { describe, expect, it } from 'vitest';
import { FallbackSpecError, parseFallback, urlForProtocol } from '../../../../src/adapters/gateway/fallbackSpec';

describe('fallback model specs', () => {
  it('keeps @ inside model names that are not a protocol suffix', () => {
    expect(parseFallback('openrouter/anthropic/claude@beta')).toEqual({ model: 'openrouter/anthropic/claude@beta' });
    expect(parseFallback('gpt-4o@openai')).toEqual({ model: 'gpt-4o', protocol: 'openai' });
  });

  it('rejects a bad entry with an error that names no flag or setting', () => {
    expect(() => parseFallback('claude@antropic')).toThrow(FallbackSpecError);
    expect(() => parseFallback('claude@antropic')).toThrow(/^claude@antropic: unknown protocol "antropic"/);
    expect(() => parseFallback('@openai')).toThrow(/^needs a model name/);
  });

  it('maps a gateway URL to the other protocol by the /v1 convention', () => {
    expect(urlForProtocol('http://gw:4000/v1', 'openai', 'anthropic')).toBe('http://gw:4000');
    expect(urlForProtocol('https://openrouter.ai/api', 'anthropic', 'openai')).toBe('https://openrouter.ai/api/v1');
    expect(urlForProtocol('http://gw/v1/', 'openai', 'openai')).toBe('http://gw/v1');
  });
});
