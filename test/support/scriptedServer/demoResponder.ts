import type { RecordedRequest } from './server';
import type { ReplyTurn } from './turn';

/**
 * A responder for the offline demo: it behaves like a small but plausible agent on any workspace
 * without a script. It lists the workspace root, reads the README (or the first file listed) and then
 * answers with a summary of what it saw. It works from what the request carries (the task, the
 * offered tools and the tool results), on both protocols, so it needs no state of its own.
 */

interface ToolOutcome {
  name: string;
  content: string;
  isError: boolean;
}

/** What the demo needs from a request, whatever the protocol. */
export interface DemoView {
  task: string;
  tools: Set<string>;
  /** Tool results since the task was given, oldest first. */
  results: ToolOutcome[];
}

type Json = Record<string, unknown>;

function rec(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Text of a content field that is a string or a list of text parts/blocks. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map((part) => (typeof rec(part).text === 'string' ? String(rec(part).text) : ''))
    .join('');
}

function openaiView(body: Json): DemoView {
  const messages = list(body.messages).map(rec);
  const tools = new Set(list(body.tools).map((t) => String(rec(rec(t).function).name)));
  const start = messages.map((m) => m.role).lastIndexOf('user');
  const names = new Map<string, string>();
  const results: ToolOutcome[] = [];
  for (const m of messages.slice(start + 1)) {
    for (const call of list(m.tool_calls)) names.set(String(rec(call).id), String(rec(rec(call).function).name));
    if (m.role === 'tool') {
      const content = textOf(m.content);
      // OpenAI has no error flag on tool messages; harnesses usually say so in the text.
      results.push({ name: names.get(String(m.tool_call_id)) ?? 'unknown', content, isError: /^error\b/i.test(content.trim()) });
    }
  }
  return { task: start >= 0 ? textOf(messages[start]?.content) : '', tools, results };
}

function anthropicView(body: Json): DemoView {
  const messages = list(body.messages).map(rec);
  const tools = new Set(list(body.tools).map((t) => String(rec(t).name)));
  const isTask = (m: Json): boolean => m.role === 'user' && !list(m.content).some((b) => rec(b).type === 'tool_result');
  let start = -1;
  messages.forEach((m, i) => {
    if (isTask(m)) start = i;
  });
  const names = new Map<string, string>();
  const results: ToolOutcome[] = [];
  for (const m of messages.slice(start + 1)) {
    for (const block of list(m.content).map(rec)) {
      if (block.type === 'tool_use') names.set(String(block.id), String(block.name));
      if (block.type === 'tool_result') {
        results.push({ name: names.get(String(block.tool_use_id)) ?? 'unknown', content: textOf(block.content), isError: block.is_error === true });
      }
    }
  }
  return { task: start >= 0 ? textOf(messages[start]?.content) : '', tools, results };
}

export function demoView(request: RecordedRequest): DemoView {
  const body = rec(request.body);
  return request.protocol === 'openai' ? openaiView(body) : anthropicView(body);
}

export interface ListedEntry {
  name: string;
  dir: boolean;
}

const TYPE_WORDS = /^(\[(file|dir|directory)\]|file|dir|directory|f|d)\s+/i;

/** Reads a directory listing whatever shape the list_dir tool chose: JSON, or one entry per line. */
export function parseListing(content: string): ListedEntry[] {
  try {
    const parsed: unknown = JSON.parse(content);
    const items = Array.isArray(parsed) ? parsed : list(rec(parsed).entries);
    if (items.length > 0) {
      return items.flatMap((item): ListedEntry[] => {
        if (typeof item === 'string') return [{ name: item.replace(/\/$/, ''), dir: item.endsWith('/') }];
        const r = rec(item);
        const name = typeof r.name === 'string' ? r.name : typeof r.path === 'string' ? r.path : undefined;
        const kind = String(r.type ?? r.kind ?? '');
        return name ? [{ name: name.replace(/\/$/, ''), dir: r.isDir === true || /^dir/i.test(kind) || name.endsWith('/') }] : [];
      });
    }
  } catch {
    // Not JSON: read it as lines below.
  }
  return content.split('\n').flatMap((raw): ListedEntry[] => {
    const line = raw.trim().replace(/^[-*]\s+/, '');
    if (line === '' || line.endsWith(':') || /^\(.*\)$/.test(line)) return [];
    const typed = TYPE_WORDS.exec(line);
    const rest = line.slice(typed?.[0].length ?? 0).replace(/\s+\(.*\)$/, '').replace(/\s{2,}.*$/, '');
    const dir = rest.endsWith('/') || /^(\[dir|\[directory|dir|directory|d)\b/i.test(typed?.[0] ?? '');
    return rest === '' ? [] : [{ name: rest.replace(/\/$/, ''), dir }];
  });
}

/** The file the demo reads: a README if there is one, else the first file listed. */
export function pickFile(entries: readonly ListedEntry[]): string | undefined {
  const files = entries.filter((e) => !e.dir);
  const readme = files.find((e) => /^readme(\.|$)/i.test(e.name.split('/').pop() ?? ''));
  return (readme ?? files[0])?.name;
}

function firstLine(content: string): string {
  const line = content
    .split('\n')
    .map((l) => l.replace(/^\s*\d+\s*[\t:|→]\s?/, '').trim())
    .find((l) => l !== '');
  if (line === undefined) return '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function quoteTask(task: string): string {
  const t = task.trim().replace(/\s+/g, ' ');
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

function summarise(view: DemoView, listing: ToolOutcome, read: ToolOutcome, file: string): string {
  const entries = parseListing(listing.content);
  const shown = entries.slice(0, 8).map((e) => (e.dir ? `${e.name}/` : e.name));
  const more = entries.length > shown.length ? `, and ${entries.length - shown.length} more` : '';
  const lines = read.content.split('\n').length;
  const opening = firstLine(read.content);
  return [
    `You asked: "${quoteTask(view.task)}".`,
    `The workspace root holds ${entries.length} entries: ${shown.join(', ')}${more}.`,
    read.isError
      ? `I tried to read ${file} but the tool failed: ${firstLine(read.content)}`
      : `I read ${file} (${lines} lines)${opening ? `; it begins with "${opening}"` : ''}.`,
    'This answer comes from the offline demo model, which only looks around; a real model would now work on the task.',
  ].join('\n');
}

/** The demo's next turn for a request. */
export function demoResponder(request: RecordedRequest): ReplyTurn {
  const view = demoView(request);
  if (!view.tools.has('list_dir') || !view.tools.has('read_file')) {
    return { text: `You asked: "${quoteTask(view.task)}". The offline demo model needs the list_dir and read_file tools to look at the workspace, and they were not offered.` };
  }
  const listing = view.results.find((r) => r.name === 'list_dir');
  const read = view.results.find((r) => r.name === 'read_file');
  if (!listing) return { text: 'Let me look at the workspace first.', toolCalls: [{ name: 'list_dir', arguments: { path: '.' } }] };
  if (listing.isError) return { text: `I could not list the workspace: ${firstLine(listing.content)}` };
  const file = pickFile(parseListing(listing.content));
  if (!file) return { text: `The workspace root has no file I can read. ${listing.content.trim() === '' ? 'It is empty.' : ''}`.trim() };
  if (!read) return { text: `I will read ${file}.`, toolCalls: [{ name: 'read_file', arguments: { path: file } }] };
  return { text: summarise(view, listing, read, file) };
}
