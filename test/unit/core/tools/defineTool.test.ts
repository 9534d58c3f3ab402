import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../../../src/core/tools/defineTool';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { toolContext } from '../../../support/fixtures';

const tool = defineTool({
  name: 'read_file',
  description: 'Read a file',
  kind: 'read',
  schema: z.object({ path: z.string().describe('workspace-relative path'), offset: z.number().int().min(1).optional(), limit: z.number().int().positive().optional() }),
  run: async (args) => JSON.stringify(args),
});

describe('defineTool', () => {
  it('derives the JSON Schema for the model from the zod schema', () => {
    expect(tool.inputSchema).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string', description: 'workspace-relative path' }, offset: { type: 'integer', minimum: 1 } },
      required: ['path'],
    });
    expect(tool.inputSchema).not.toHaveProperty('$schema');
    expect(tool.spec).toEqual({ name: 'read_file', description: 'Read a file', inputSchema: tool.inputSchema });
  });

  it('validates at runtime with the same schema and passes the typed value to run', async () => {
    const reg = new ToolRegistry([tool]);
    const ctx = toolContext();
    expect(await reg.call('read_file', '{"path":"a.ts","offset":2}', ctx)).toMatchObject({ content: '{"path":"a.ts","offset":2}', isError: false });
    const bad = await reg.call('read_file', '{"path":"a.ts","offset":0}', ctx);
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/offset/);
  });

  it('refuses duplicate tool names', () => {
    expect(() => new ToolRegistry([tool, tool])).toThrow(/duplicate tool name: read_file/);
  });
});
