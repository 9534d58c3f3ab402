import { describe, expect, it } from 'vitest';
import { adaptToWorkspaceOwner, chooseUser, firstTarFile, parsePasswd } from '../../../../src/adapters/sandbox/containerUser';
import { DockerStreamDemuxer } from '../../../../src/adapters/sandbox/dockerExec';

const passwd = parsePasswd(
  ['root:x:0:0:root:/root:/bin/bash', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'broken line', 'svc:x:1001:1001::/srv:/usr/sbin/nologin', 'node:x:1000:1000::/home/node:/bin/bash', 'nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin'].join('\n'),
);

describe('chooseUser', () => {
  it('skips malformed lines', () => {
    expect(passwd.map((e) => e.name)).toEqual(['root', 'daemon', 'svc', 'node', 'nobody']);
  });
  it('picks the first ordinary account with a login shell', () => {
    expect(chooseUser(undefined, passwd)).toEqual({ user: 'node', home: '/home/node' });
  });
  it('keeps an explicit user and finds its home', () => {
    expect(chooseUser('node', passwd)).toEqual({ user: 'node', home: '/home/node' });
    expect(chooseUser('1000:1000', passwd)).toEqual({ user: '1000:1000', home: '/home/node' });
    expect(chooseUser('root', passwd)).toEqual({ user: 'root', home: '/root' });
    expect(chooseUser('ghost', passwd).home).toBe('/tmp');
  });
  it('falls back to the image default when there is no ordinary account', () => {
    expect(chooseUser(undefined, passwd.filter((e) => e.name !== 'node'))).toEqual({ user: undefined, home: '/root' });
  });
});

function tarOf(name: string, body: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(Buffer.byteLength(body).toString(8).padStart(11, '0') + '\0', 124);
  header.write(type, 156);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data]);
}

describe('firstTarFile', () => {
  it('returns the first regular file, skipping other entries', () => {
    const tar = Buffer.concat([tarOf('link', '', '2'), tarOf('passwd', 'root:x:0:0::/root:/bin/sh\n'), Buffer.alloc(1024)]);
    expect(firstTarFile(tar)).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(firstTarFile(Buffer.alloc(1024))).toBe('');
  });
});

describe('DockerStreamDemuxer', () => {
  it('splits frames cut at any byte', () => {
    const frame = (kind: number, text: string): Buffer => {
      const h = Buffer.alloc(8);
      h[0] = kind;
      h.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([h, Buffer.from(text)]);
    };
    const wire = Buffer.concat([frame(1, 'out one'), frame(2, 'err'), frame(1, ''), frame(1, 'out two')]);
    for (let step = 1; step <= wire.length; step++) {
      const got: string[] = [];
      const demux = new DockerStreamDemuxer((kind, payload) => got.push(`${kind}:${payload.toString()}`));
      for (let i = 0; i < wire.length; i += step) demux.push(wire.subarray(i, i + step));
      expect(got.filter((g) => g !== '1:'), `step ${step}`).toEqual(['1:out one', '2:err', '1:out two']);
    }
  });
});

describe('adaptToWorkspaceOwner', () => {
  const choice = { user: 'node', home: '/home/node' };
  it('keeps a user whose uid owns the workspace', () => {
    expect(adaptToWorkspaceOwner(choice, passwd, { uid: 1000, gid: 1000 })).toEqual(choice);
  });
  it('switches to the owner uid when it differs and is not root, by name when the image knows it', () => {
    expect(adaptToWorkspaceOwner(choice, passwd, { uid: 1001, gid: 1001 })).toEqual({ user: 'svc', home: '/srv' });
    expect(adaptToWorkspaceOwner(choice, passwd, { uid: 4242, gid: 4243 })).toEqual({ user: '4242:4243', home: '/tmp' });
    expect(adaptToWorkspaceOwner({ user: undefined, home: '/root' }, passwd, { uid: 4242, gid: 4242 }).user).toBe('4242:4242');
  });
  it('keeps the non-root user for a root-owned workspace and says what that limits', () => {
    const adapted = adaptToWorkspaceOwner(choice, passwd, { uid: 0, gid: 0 });
    expect(adapted.user).toBe('node');
    expect(adapted.note).toMatch(/belongs to root.*node \(uid 1000\)/);
  });
  it('leaves a user it cannot resolve alone', () => {
    expect(adaptToWorkspaceOwner({ user: 'ghost', home: '/tmp' }, passwd, { uid: 5, gid: 5 })).toEqual({ user: 'ghost', home: '/tmp' });
  });
});
