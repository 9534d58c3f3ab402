import { describe, expect, it } from 'vitest';
import { createAskUserTool, unattendedAsker, type Asker, type AskUserRequest } from '../../../../src/core/tools/askUser';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { toolContext } from '../../../support/fixtures';

const ctx = toolContext();
function scripted(answer: string): { asker: Asker; seen: AskUserRequest[] } {
  const seen: AskUserRequest[] = [];
  return { seen, asker: { ask: async (req) => (seen.push(req), { answer }) } };
}

describe('ask_user', () => {
  it('is an interaction tool with question and optional options', () => {
    const tool = createAskUserTool(unattendedAsker());
    expect(tool.name).toBe('ask_user');
    expect(tool.kind).toBe('interaction');
    expect(tool.inputSchema).toMatchObject({ required: ['question'] });
  });

  it('passes the question and options to the asker and returns the answer', async () => {
    const { asker, seen } = scripted('Use Postgres please');
    const out = await new ToolRegistry([createAskUserTool(asker)]).call('ask_user', '{"question":"Which database?"}', ctx);
    expect(seen).toEqual([{ runId: 'r', callId: 'c', question: 'Which database?' }]);
    expect(out).toMatchObject({ isError: false, content: 'The user answered: Use Postgres please' });
  });

  it('recognises a chosen option regardless of case', async () => {
    const { asker, seen } = scripted('sqlite');
    const out = await new ToolRegistry([createAskUserTool(asker)]).call('ask_user', '{"question":"Which?","options":["Postgres","SQLite"]}', ctx);
    expect(seen[0]!.options).toEqual(['Postgres', 'SQLite']);
    expect(out.content).toBe('The user chose: SQLite');
  });

  it('tells the model to state its assumption when nobody can answer', async () => {
    const out = await new ToolRegistry([createAskUserTool(unattendedAsker())]).call('ask_user', '{"question":"Which?"}', ctx);
    expect(out.isError).toBe(false);
    expect(out.content).toBe('No answer: this run is not interactive, so no one can answer. Proceed with your best judgement, and state the assumption you made in your summary.');
  });

  it('rejects an empty question, a single option and duplicate options as tool errors', async () => {
    const reg = new ToolRegistry([createAskUserTool(unattendedAsker())]);
    expect((await reg.call('ask_user', '{"question":"  "}', ctx)).content).toContain('the question must not be empty');
    expect((await reg.call('ask_user', '{"question":"q","options":["a"]}', ctx)).content).toContain('at least two options');
    expect((await reg.call('ask_user', '{"question":"q","options":["a","a"]}', ctx)).content).toContain('options must be different');
  });
});
