import { describe, expect, it } from 'vitest';
import { createMcpTools, MAX_RESULT_CHARS, renderCallResult, type McpCallResult, type McpToolDescriptor } from '../../../../src/core/mcp/mcpTools';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { toolContext } from '../../../support/fixtures';

const ctx = () => (toolContext());

const ADD: McpToolDescriptor = {
  name: 'add',
  description: 'Adds two numbers.',
  inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
};

function fakeCaller(answer: (name: string, args: Record<string, unknown>) => McpCallResult | Promise<McpCallResult>) {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    caller: {
      callTool: async (name: string, args: Record<string, unknown>) => {
        calls.push({ name, args });
        return answer(name, args);
      },
    },
  };
}

describe('createMcpTools', () => {
  it('registers external tools under the namespaced name with the server schema for the model', () => {
    const { caller } = fakeCaller(() => ({ content: [] }));
    const set = createMcpTools('calc', [ADD, { name: 'noargs', inputSchema: { type: 'object' } }], caller);
    const [add, noargs] = set.tools;
    expect(add).toMatchObject({ name: 'calc__add', kind: 'external', destructive: false });
    expect(add!.spec).toEqual({
      name: 'calc__add',
      description: 'Adds two numbers. (tool "add" of MCP server "calc")',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    });
    expect(add!.inputSchema).toBe(add!.spec.inputSchema);
    // OpenAI wants properties on every object schema.
    expect(noargs!.spec.inputSchema).toEqual({ type: 'object', properties: {} });
    expect(set.originalNames.get('calc__add')).toBe('add');
  });

  it('calls the server by its own tool name and returns text; a server error stays an error', async () => {
    const { caller, calls } = fakeCaller((_n, args) => (args.a === 0 ? { content: [{ type: 'text', text: 'zero is not allowed' }], isError: true } : { content: [{ type: 'text', text: String(Number(args.a) + Number(args.b)) }] }));
    const reg = new ToolRegistry(createMcpTools('calc', [ADD], caller).tools);
    expect(await reg.call('calc__add', '{"a":1,"b":2}', ctx())).toMatchObject({ content: '3', isError: false });
    expect(calls).toEqual([{ name: 'add', args: { a: 1, b: 2 } }]);
    expect(await reg.call('calc__add', '{"a":0,"b":2}', ctx())).toMatchObject({ content: 'zero is not allowed', isError: true });
  });

  it('checks for an object with the required fields before calling', async () => {
    const { caller, calls } = fakeCaller(() => ({ content: [] }));
    const reg = new ToolRegistry(createMcpTools('calc', [ADD], caller).tools);
    expect(await reg.call('calc__add', '{"a":1}', ctx())).toEqual({ content: 'Invalid arguments for calc__add: missing required field "b".', isError: true });
    expect((await reg.call('calc__add', '[1,2]', ctx())).isError).toBe(true);
    expect(calls).toEqual([]);
  });

  it('turns a failed call (connection lost, timeout) into a tool error naming the server', async () => {
    const reg = new ToolRegistry(createMcpTools('calc', [ADD], { callTool: async () => Promise.reject(new Error('Connection closed')) }).tools);
    expect(await reg.call('calc__add', '{"a":1,"b":2}', ctx())).toEqual({ content: 'MCP server "calc" could not run add: Connection closed', isError: true });
  });

  it('flags a tool destructive only when the server says so explicitly', () => {
    const { caller } = fakeCaller(() => ({}));
    const tools = createMcpTools('s', [
      { name: 'rm', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } },
      { name: 'ls', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true, destructiveHint: true } },
      { name: 'x', inputSchema: { type: 'object' } },
    ], caller).tools;
    expect(tools.map((t) => t.destructive)).toEqual([true, false, false]);
  });

  it('reports two tools that map to the same name and keeps the first', () => {
    const { caller } = fakeCaller(() => ({}));
    const set = createMcpTools('s', [{ name: 'a.b', inputSchema: { type: 'object' } }, { name: 'a_b', inputSchema: { type: 'object' } }], caller);
    expect(set.tools.map((t) => t.name)).toEqual(['s__a_b']);
    expect(set.problems).toEqual(['MCP server "s": tools "a.b" and "a_b" both become s__a_b; "a_b" is left out']);
  });
});

describe('renderCallResult', () => {
  it('summarises content the model cannot see as text', () => {
    expect(
      renderCallResult({
        content: [
          { type: 'text', text: 'hello' },
          { type: 'image', mimeType: 'image/png', data: 'AAAA' },
          { type: 'audio', mimeType: 'audio/wav', data: 'AAA=' },
          { type: 'resource_link', uri: 'file:///a.txt', name: 'a.txt' },
          { type: 'resource', resource: { uri: 'file:///b.txt', text: 'inside b' } },
          { type: 'resource', resource: { uri: 'file:///c.bin', mimeType: 'application/octet-stream', blob: 'AAAAAAAA' } },
          { type: 'hologram' },
        ],
      }),
    ).toBe(
      [
        'hello',
        '[image image/png, 3 bytes, not shown]',
        '[audio audio/wav, 2 bytes, not shown]',
        '[resource link: a.txt file:///a.txt]',
        '[resource file:///b.txt]\ninside b',
        '[resource file:///c.bin (application/octet-stream), 6 bytes, not shown]',
        '[hologram content, not shown]',
      ].join('\n'),
    );
  });

  it('uses structured content when there is no other, says when there is nothing, and cuts what is too long', () => {
    expect(renderCallResult({ content: [], structuredContent: { n: 1 } })).toBe('{\n  "n": 1\n}');
    expect(renderCallResult({})).toBe('(the tool returned no content)');
    const long = renderCallResult({ content: [{ type: 'text', text: 'x'.repeat(MAX_RESULT_CHARS + 10) }] });
    expect(long.endsWith('[cut: 10 more characters not shown]')).toBe(true);
    expect(long.length).toBeLessThan(MAX_RESULT_CHARS + 100);
  });
});
