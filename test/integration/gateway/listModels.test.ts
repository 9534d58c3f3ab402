import { describe, expect, it } from 'vitest';
import { createModelClient } from '../../../src/adapters/gateway/createModelClient';
import { useScriptedServer } from '../../support/fixtures';

const server = useScriptedServer();

describe('the gateway model list (GET /models) through the official SDKs', () => {
  it('lists the models on both protocols, sorted, without repeats', async () => {
    server.offerModels(['z-model', 'a-model', 'a-model']);
    const openai = await createModelClient({ url: `${server.url}/v1`, protocol: 'openai', model: 'x' }, 'k');
    const anthropic = await createModelClient({ url: server.url, protocol: 'anthropic', model: 'x' }, 'k');
    expect(await openai.listModels?.()).toEqual(['a-model', 'z-model']);
    expect(await anthropic.listModels?.()).toEqual(['a-model', 'z-model']);
  });

  it('a gateway without the endpoint is an error the caller can swallow, not a hang', async () => {
    server.offerModels(undefined);
    const openai = await createModelClient({ url: `${server.url}/v1`, protocol: 'openai', model: 'x' }, 'k');
    await expect(openai.listModels?.()).rejects.toThrow(/404/);
    server.offerModels(['scripted-model']);
  });
});
