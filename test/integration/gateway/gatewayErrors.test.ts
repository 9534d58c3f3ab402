import { beforeEach, describe, expect, it } from 'vitest';
import { AnthropicModelClient } from '../../../src/adapters/gateway/anthropicClient';
import { GatewayConfigSchema } from '../../../src/adapters/gateway/gatewayConfig';
import { OpenAIModelClient } from '../../../src/adapters/gateway/openaiClient';
import { ModelError } from '../../../src/core/model/errors';
import type { ModelClient } from '../../../src/core/model/modelClient';
import { useScriptedServer } from '../../support/fixtures';

/**
 * A gateway's own error, whatever its shape, reaches the user through the real SDKs of both
 * protocols: bounded, with secrets removed, and the kind still decided by the status.
 */
const KEY = 'sk-gw-error-test-0123456789abcdef';

const server = useScriptedServer();
beforeEach(() => server.reset());

function client(protocol: 'openai' | 'anthropic'): ModelClient {
  const config = GatewayConfigSchema.parse({ url: protocol === 'openai' ? `${server.url}/v1` : server.url, protocol, model: 'm-1', sdkMaxRetries: 0 });
  return protocol === 'openai' ? new OpenAIModelClient(config, KEY) : new AnthropicModelClient(config, KEY);
}

async function failureOf(c: ModelClient): Promise<ModelError> {
  try {
    for await (const ev of c.stream({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] })) void ev;
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('the call did not fail');
}

const SHAPES: Array<{ name: string; status: number; body: unknown; says: RegExp; kind: string }> = [
  { name: 'Portkey', status: 400, body: { status: 'failure', message: 'Invalid config passed', errors: ['"retry.attempts" must be less than or equal to 5'] }, says: /refused the request \(HTTP 400\): Invalid config passed: "retry\.attempts" must be less than or equal to 5/, kind: 'bad_request' },
  { name: 'LiteLLM (provider JSON inside the message)', status: 400, body: { error: { message: 'litellm.BadRequestError: OpenAIException - {"error": {"message": "Unknown parameter: \'foo\'", "type": "invalid_request_error"}}', type: null, param: null, code: '400' } }, says: /litellm\.BadRequestError: OpenAIException: Unknown parameter: 'foo'/, kind: 'bad_request' },
  { name: 'Ollama (error as a string)', status: 404, body: { error: "model 'llama9' not found, try pulling it first" }, says: /\(HTTP 404\): model 'llama9' not found, try pulling it first/, kind: 'bad_request' },
  { name: 'vLLM', status: 400, body: { object: 'error', message: "This model's maximum context length is 4096 tokens", type: 'BadRequestError', code: 400 }, says: /too long for model m-1's context window \(HTTP 400\): This model's maximum context length is 4096 tokens/, kind: 'context_too_long' },
  { name: 'FastAPI detail list', status: 422, body: { detail: [{ loc: ['body', 'model'], msg: 'field required', type: 'value_error.missing' }] }, says: /\(HTTP 422\): field required/, kind: 'bad_request' },
  { name: 'Cloudflare AI Gateway', status: 400, body: { success: false, errors: [{ code: 2001, message: 'Please configure AI Gateway in the Cloudflare dashboard' }] }, says: /Please configure AI Gateway in the Cloudflare dashboard/, kind: 'bad_request' },
  { name: 'a company gateway, plain text', status: 403, body: 'Forbidden: team web has no access to m-1', says: /rejected the API key \(HTTP 403\): Forbidden: team web has no access to m-1; set a valid key/, kind: 'auth' },
  { name: 'a rate limit with its reason', status: 429, body: { error: { message: 'Budget exceeded for team web: 12.00 of 10.00 USD', type: 'budget_exceeded' } }, says: /rate limiting model m-1 \(HTTP 429\): Budget exceeded for team web/, kind: 'rate_limited' },
  { name: 'a key echoed back is removed', status: 401, body: { message: `invalid api key ${KEY}` }, says: /rejected the API key \(HTTP 401\): invalid api key \[REDACTED\]/, kind: 'auth' },
];

describe.each(['openai', 'anthropic'] as const)('a gateway error body over %s', (protocol) => {
  it.each(SHAPES)('$name: the gateway\'s message is shown', async ({ status, body, says, kind }) => {
    server.script([{ fault: 'status', status, body }]);
    const e = await failureOf(client(protocol));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(says);
    expect(e.message).not.toContain(KEY);
    expect(e.message).not.toMatch(/no body/);
  });

  it('an HTML page from a proxy is read as text, bounded', async () => {
    server.script([{ fault: 'status', status: 502, body: `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>${'upstream timed out '.repeat(100)}</p></body></html>` }]);
    const e = await failureOf(client(protocol));
    expect(e.kind).toBe('server');
    expect(e.message).toMatch(/failed \(HTTP 502\): 502 Bad Gateway: Bad Gateway upstream timed out/);
    expect(e.message.length).toBeLessThan(700);
  });

  it('the provider\'s own shape still reads as before', async () => {
    server.script([{ fault: 'status', status: 400, message: 'messages: at least one message is required' }]);
    const e = await failureOf(client(protocol));
    expect(e.message).toMatch(/\(HTTP 400\): messages: at least one message is required$/);
  });
});
