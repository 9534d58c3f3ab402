import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DevcontainerConfigError, parseDevcontainerText, readDevcontainerSettings, resolveDevcontainer } from '../../../../src/adapters/sandbox/devcontainerConfig';

const roots: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ah-dc-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('readDevcontainerSettings', () => {
  it('reads JSONC with comments and trailing commas', async () => {
    const root = workspace({
      '.devcontainer/devcontainer.json': `{
        // the image we develop in
        "image": "node:22-bookworm",
        "workspaceFolder": "/work/\${localWorkspaceFolderBasename}",
        "containerEnv": { "NODE_ENV": "development", "WS": "\${containerWorkspaceFolder}", },
        "remoteUser": "node",
        "features": { "ghcr.io/devcontainers/features/git:1": {} },
      }`,
    });
    const s = await readDevcontainerSettings(root);
    expect(s.image).toBe('node:22-bookworm');
    expect(s.imageSource).toBe('devcontainer.json');
    expect(s.workspaceFolder).toBe(`/work/${path.basename(root)}`);
    expect(s.containerEnv).toEqual({ NODE_ENV: 'development', WS: `/work/${path.basename(root)}` });
    expect(s.user).toBe('node');
    expect(s.configPath).toBe('.devcontainer/devcontainer.json');
  });

  it('also finds .devcontainer.json at the root, and defaults workspaceFolder to /workspaces/<name>', async () => {
    const root = workspace({ '.devcontainer.json': '{"image": "python:3.12"}' });
    const s = await readDevcontainerSettings(root);
    expect(s.image).toBe('python:3.12');
    expect(s.workspaceFolder).toBe(`/workspaces/${path.basename(root)}`);
    expect(s.user).toBeUndefined();
  });

  it('uses the image setting when the file names none, and the file image when it does', async () => {
    const noFile = workspace({});
    expect((await readDevcontainerSettings(noFile, { imageSetting: 'my/img:1' })).imageSource).toBe('setting');
    const withImage = workspace({ '.devcontainer/devcontainer.json': '{"image":"from-file:1"}' });
    expect((await readDevcontainerSettings(withImage, { imageSetting: 'my/img:1' })).image).toBe('from-file:1');
  });

  it('says clearly when no image is named anywhere', async () => {
    await expect(readDevcontainerSettings(workspace({}))).rejects.toThrow(/no \.devcontainer\/devcontainer\.json and no image is set/);
    await expect(readDevcontainerSettings(workspace({ '.devcontainer/devcontainer.json': '{"name":"x"}' }))).rejects.toThrow(/has no "image"/);
  });

  it('reports a broken file with its name, the problem, line and column', async () => {
    const root = workspace({ '.devcontainer/devcontainer.json': '{\n  "image": "a"\n  "remoteUser": "b"\n}' });
    const error = await readDevcontainerSettings(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevcontainerConfigError);
    expect((error as Error).message).toMatch(/^\.devcontainer\/devcontainer\.json: comma expected at line 3, column 3\.$/);
  });

  it('reports a wrongly typed key by name', () => {
    expect(() => parseDevcontainerText('{"image": 42}', 'dc.json')).toThrow(/dc\.json: "image"/);
    expect(() => parseDevcontainerText('{"containerEnv": {"A": 1}}', 'dc.json')).toThrow(/"containerEnv\.A"/);
    expect(() => parseDevcontainerText('[1]', 'dc.json')).toThrow(/must contain a JSON object/);
    expect(() => parseDevcontainerText('', 'dc.json')).toThrow(/dc\.json: /);
  });

  it('explains that Dockerfile and compose dev containers are not supported yet', async () => {
    const root = workspace({ '.devcontainer/devcontainer.json': '{"build": {"dockerfile": "Dockerfile"}}' });
    await expect(readDevcontainerSettings(root)).rejects.toThrow(/uses "build", but only "image"-based dev containers are supported/);
    const compose = workspace({ '.devcontainer/devcontainer.json': '{"dockerComposeFile": "c.yml", "service": "app"}' });
    await expect(readDevcontainerSettings(compose)).rejects.toThrow(/dockerComposeFile/);
    const s = await readDevcontainerSettings(root, { imageSetting: 'prebuilt:1' });
    expect(s.image).toBe('prebuilt:1');
    expect(s.warnings.join(' ')).toMatch(/"build" is not supported yet/);
  });
});

describe('resolveDevcontainer', () => {
  const root = '/home/me/project';

  it('never copies host variables: ${localEnv:...} becomes empty with a warning', () => {
    const s = resolveDevcontainer({ image: 'x', containerEnv: { TOKEN_COPY: '${localEnv:GITHUB_TOKEN}', KEEP: 'a${unknownVar}b' } }, root, {}, 'dc.json');
    expect(s.containerEnv.TOKEN_COPY).toBe('');
    expect(s.containerEnv.KEEP).toBe('a${unknownVar}b');
    expect(s.warnings.some((w) => w.includes('${localEnv:GITHUB_TOKEN}'))).toBe(true);
  });

  it('refuses a workspaceFolder that is relative, has .., is / or hides a system folder', () => {
    for (const folder of ['work', '/work/../etc', '/', '/etc', '/usr', '/a:b']) {
      expect(() => resolveDevcontainer({ image: 'x', workspaceFolder: folder }, root, {}, 'dc.json'), folder).toThrow(DevcontainerConfigError);
    }
    expect(resolveDevcontainer({ image: 'x', workspaceFolder: '/usr/src/app/' }, root, {}, 'dc.json').workspaceFolder).toBe('/usr/src/app');
  });

  it('refuses a remoteUser that is not a user name or uid', () => {
    expect(() => resolveDevcontainer({ image: 'x', remoteUser: 'node; rm -rf /' }, root, {}, 'dc.json')).toThrow(/remoteUser/);
    expect(resolveDevcontainer({ image: 'x', remoteUser: '1000:1000' }, root, {}, 'dc.json').user).toBe('1000:1000');
    expect(resolveDevcontainer({ image: 'x', containerUser: 'vscode' }, root, {}, 'dc.json').user).toBe('vscode');
  });

  it('refuses an image name that could be read as an option', () => {
    expect(() => resolveDevcontainer({ image: '--privileged' }, root, {}, 'dc.json')).toThrow(/not a valid image name/);
  });

  it('applies remoteEnv over containerEnv, null removing a variable', () => {
    const s = resolveDevcontainer({ image: 'x', containerEnv: { A: '1', B: '2' }, remoteEnv: { B: null, C: '3' } }, root, {}, 'dc.json');
    expect(s.containerEnv).toEqual({ A: '1', C: '3' });
  });
});
