import { describe, expect, it } from 'vitest';
import { toAnthropicRequest } from '../../../../src/adapters/gateway/anthropicWire';
import type { ModelRequest } from '../../../../src/core/model/modelClient';

const tool = (name: string) => ({ name, description: name, inputSchema: { type: 'object', properties: {} } });

function markers(body: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'cache_control') out.push(at);
        else walk(x, at ? `${at}.${k}` : k);
      }
    }
  };
  walk(body, '');
  return out;
}

describe('Anthropic cache breakpoints', () => {
  const base: ModelRequest = {
    system: 'be careful',
    tools: [tool('a'), tool('b')],
    messages: [
      { role: 'user', content: 'task' },
      { role: 'assistant', text: '', toolCalls: [{ id: 't1', name: 'a', arguments: '{}' }, { id: 't2', name: 'b', arguments: '{}' }] },
      { role: 'tool', callId: 't1', toolName: 'a', content: 'r1', isError: false },
      { role: 'tool', callId: 't2', toolName: 'b', content: 'r2', isError: false },
      { role: 'assistant', text: 'more', toolCalls: [{ id: 't3', name: 'a', arguments: '{}' }] },
      { role: 'tool', callId: 't3', toolName: 'a', content: 'r3', isError: false },
    ],
  };

  it('marks the last tool, the system block and the last block of the last two user-side messages', () => {
    expect(markers(toAnthropicRequest('claude-haiku-4-5', { ...base, cache: true }))).toEqual([
      'system[0]',
      'messages[2].content[1]',
      'messages[4].content[0]',
      'tools[1]',
    ]);
  });

  it('stays within four breakpoints with a structured-output tool, and uses three when there is one user message', () => {
    const withOutput = toAnthropicRequest('m', { ...base, cache: true, output: { name: 'answer', schema: { type: 'object' } } });
    expect(markers(withOutput)).toHaveLength(4);
    expect(withOutput.tools?.at(-1)).toMatchObject({ name: 'answer', cache_control: { type: 'ephemeral' } });
    expect(markers(toAnthropicRequest('m', { ...base, messages: [{ role: 'user', content: 'hi' }], cache: true }))).toEqual(['system[0]', 'messages[0].content[0]', 'tools[1]']);
  });

  it('leaves the request as it was without the hint', () => {
    const plain = toAnthropicRequest('m', base);
    expect(markers(plain)).toEqual([]);
    expect(plain.system).toBe('be careful');
  });
});
