import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoResponder, parseListing, pickFile } from '../support/scriptedServer/demoResponder';
import { tempDir, useScriptedServer } from '../support/fixtures';

// The demo responder must carry a whole run on either protocol with nothing scripted. These tests
// play the harness's part by hand: they run list_dir and read_file on a real folder and send the
// results back in each protocol's shape.

const server = useScriptedServer();

beforeAll(async () => {
  server.respondWith(demoResponder);
});

interface Call {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

async function runTool(workspace: string, call: Call): Promise<string> {
  const path = join(workspace, String(call.input.path));
  if (call.name === 'list_dir') {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort().join('\n');
  }
  if (call.name === 'read_file') return readFile(path, 'utf8');
  throw new Error(`unexpected tool ${call.name}`);
}

const toolNames = ['list_dir', 'read_file'];

async function runOpenAI(workspace: string, task: string, withTools = true): Promise<{ answer: string; calls: Call[] }> {
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
  const tools = toolNames.map((name) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: { path: { type: 'string' } } } } }));
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'system', content: 'You are a coding agent.' }, { role: 'user', content: task }];
  const calls: Call[] = [];
  for (let step = 0; step < 5; step++) {
    const res = await client.chat.completions.create({ model: 'demo', messages, ...(withTools ? { tools } : {}) });
    const msg = res.choices[0]?.message;
    if (!msg?.tool_calls?.length) return { answer: msg?.content ?? '', calls };
    messages.push({ role: 'assistant', content: msg.content, tool_calls: msg.tool_calls });
    for (const tc of msg.tool_calls) {
      if (tc.type !== 'function') continue;
      const call = { id: tc.id, name: tc.function.name, input: JSON.parse(tc.function.arguments) as Record<string, unknown> };
      calls.push(call);
      messages.push({ role: 'tool', tool_call_id: tc.id, content: await runTool(workspace, call) });
    }
  }
  throw new Error('the demo did not finish in 5 steps');
}

async function runAnthropic(workspace: string, task: string): Promise<{ answer: string; calls: Call[] }> {
  const client = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
  const tools = toolNames.map((name) => ({ name, input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } }));
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: task }];
  const calls: Call[] = [];
  for (let step = 0; step < 5; step++) {
    const msg = await client.messages.stream({ model: 'demo', max_tokens: 1000, system: 'You are a coding agent.', tools, messages }).finalMessage();
    const uses = msg.content.filter((b) => b.type === 'tool_use');
    if (uses.length === 0) return { answer: msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), calls };
    messages.push({ role: 'assistant', content: msg.content });
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const use of uses) {
      const call = { id: use.id, name: use.name, input: use.input as Record<string, unknown> };
      calls.push(call);
      results.push({ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: await runTool(workspace, call) }] });
    }
    messages.push({ role: 'user', content: results });
  }
  throw new Error('the demo did not finish in 5 steps');
}

async function workspaceWith(files: Record<string, string>, dirs: string[] = []): Promise<string> {
  const dir = await tempDir('demo-ws-');
  for (const d of dirs) await mkdir(join(dir, d));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe.each([
  ['openai', runOpenAI],
  ['anthropic', runAnthropic],
] as const)('demo responder over %s', (_name, run) => {
  it('lists the root, reads the README and summarises it', async () => {
    const ws = await workspaceWith({ 'README.md': '# Widget Factory\n\nMakes widgets.\n', 'package.json': '{}', 'a.txt': 'a' }, ['src']);
    const { answer, calls } = await run(ws, 'Explain this project');
    expect(calls.map((c) => [c.name, c.input.path])).toEqual([
      ['list_dir', '.'],
      ['read_file', 'README.md'],
    ]);
    expect(answer).toContain('You asked: "Explain this project"');
    expect(answer).toContain('4 entries: README.md, a.txt, package.json, src/');
    expect(answer).toContain('I read README.md (4 lines); it begins with "# Widget Factory"');
  });

  it('reads the first file when there is no README', async () => {
    const ws = await workspaceWith({ 'notes.txt': '\n\nfirst real line\n', 'zeta.md': 'z' }, ['lib']);
    const { answer, calls } = await run(ws, 'What is here?');
    expect(calls[1]?.input.path).toBe('notes.txt');
    expect(answer).toContain('it begins with "first real line"');
  });

  it('answers without reading when the workspace is empty', async () => {
    const ws = await workspaceWith({});
    const { answer, calls } = await run(ws, 'Anything?');
    expect(calls.map((c) => c.name)).toEqual(['list_dir']);
    expect(answer).toMatch(/no file I can read/);
  });
});

describe('demo responder details', () => {
  it('answers in words when the tools it needs are not offered', async () => {
    const ws = await workspaceWith({ 'README.md': 'x' });
    const { answer, calls } = await runOpenAI(ws, 'Hello', false);
    expect(calls).toEqual([]);
    expect(answer).toMatch(/needs the list_dir and read_file tools/);
  });

  it('reads listings in the shapes a list_dir tool may return', () => {
    expect(parseListing('src/\nREADME.md\n')).toEqual([
      { name: 'src', dir: true },
      { name: 'README.md', dir: false },
    ]);
    expect(parseListing('dir  src\nfile README.md (120 bytes)')).toEqual([
      { name: 'src', dir: true },
      { name: 'README.md', dir: false },
    ]);
    expect(parseListing(JSON.stringify([{ name: 'lib', type: 'directory' }, { path: 'main.ts', type: 'file' }]))).toEqual([
      { name: 'lib', dir: true },
      { name: 'main.ts', dir: false },
    ]);
    expect(parseListing(JSON.stringify({ entries: ['docs/', 'index.html'] }))).toEqual([
      { name: 'docs', dir: true },
      { name: 'index.html', dir: false },
    ]);
  });

  it('prefers a README over other files and never picks a directory', () => {
    expect(pickFile([{ name: 'a.ts', dir: false }, { name: 'readme.txt', dir: false }])).toBe('readme.txt');
    expect(pickFile([{ name: 'README', dir: true }, { name: 'b.ts', dir: false }])).toBe('b.ts');
    expect(pickFile([{ name: 'only-dir', dir: true }])).toBeUndefined();
  });
});
