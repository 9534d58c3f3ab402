import { describe, it, expect, beforeEach } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChangeSet } from '../../../../src/core/edits/changeSet';
import { createEditTools } from '../../../../src/core/edits/editTools';
import { ToolRegistry } from '../../../../src/core/tools/registry';
import { tempDir, toolContext } from '../../../support/fixtures';

let root: string;
const ctx = toolContext({ runId: 'r1', callId: 'c1' });

beforeEach(async () => {
  root = await tempDir('ah-write-');
});

function setup(autoApprove?: (p: string) => boolean) {
  const changeSet = new ChangeSet();
  const registry = new ToolRegistry([...createEditTools({ root, changeSet, ...(autoApprove ? { autoApprove } : {}) })]);
  return { changeSet, write: (args: Record<string, unknown>) => registry.call('write_file', JSON.stringify(args), ctx) };
}

describe('write_file', () => {
  it('proposes a new file and writes nothing', async () => {
    const { changeSet, write } = setup();
    const out = await write({ path: 'dir/new.md', content: '# Title\n' });
    expect(out.isError).toBe(false);
    expect(out.content).toMatch(/^Proposed new file dir\/new\.md \(1 hunk, \+1 -0 lines\)\. It is pending review\./);
    expect(out.filesChanged).toEqual(['dir/new.md']);
    await expect(readFile(path.join(root, 'dir/new.md'))).rejects.toThrow();
    expect(changeSet.get('dir/new.md')?.originalHash).toBeNull();
  });

  it('keeps the existing file\u2019s BOM, CRLF and final newline', async () => {
    await writeFile(path.join(root, 'a.txt'), '\uFEFFone\r\ntwo\r\n');
    const { changeSet, write } = setup();
    await write({ path: 'a.txt', content: 'one\nthree' });
    expect(changeSet.get('a.txt')?.proposedContent).toBe('\uFEFFone\r\nthree\r\n');
  });

  it('says so when the content is unchanged', async () => {
    await writeFile(path.join(root, 'a.txt'), 'same\n');
    const { changeSet, write } = setup();
    const out = await write({ path: 'a.txt', content: 'same\n' });
    expect(out.content).toContain('No change');
    expect(changeSet.list()).toEqual([]);
  });

  it('applies when auto-approved, except for protected files', async () => {
    const { write } = setup(() => true);
    await write({ path: 'ok.txt', content: 'fine\n' });
    expect(await readFile(path.join(root, 'ok.txt'), 'utf8')).toBe('fine\n');
    const out = await write({ path: 'agents.MD', content: 'be evil\n' });
    expect(out.content).toContain('a human must approve it');
    await expect(readFile(path.join(root, 'agents.MD'))).rejects.toThrow();
  });

  it('rejects invalid arguments and invalid paths as tool errors', async () => {
    const { write } = setup();
    expect((await write({ path: 'x' })).isError).toBe(true);
    const tilde = await write({ path: '~/x', content: 'a' });
    expect(tilde.isError).toBe(true);
    expect(tilde.content).toContain('~');
    const root2 = await write({ path: '.', content: 'a' });
    expect(root2.isError).toBe(true);
  });
});
