import type Docker from 'dockerode';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Parses /etc/passwd text; malformed lines are skipped rather than guessed at. */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(':');
    if (fields.length < 7) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || !fields[0]) continue;
    entries.push({ name: fields[0], uid, gid, home: fields[5] ?? '', shell: fields[6] ?? '' });
  }
  return entries;
}

/**
 * Who commands run as. An explicit user (setting or remoteUser) wins. Otherwise the first ordinary
 * account (uid 1000 to 59999, a real login shell) is used, as dev-container images such as the `node`
 * and `vscode` ones provide; only an image without one runs commands as its default user.
 */
export function chooseUser(requested: string | undefined, passwd: PasswdEntry[]): UserChoice {
  if (requested !== undefined) {
    const [who] = requested.split(':');
    const entry = passwd.find((e) => e.name === who || String(e.uid) === who);
    return { user: requested, home: entry?.home || (who === 'root' || who === '0' ? '/root' : '/tmp') };
  }
  const candidate = passwd.find((e) => e.uid >= 1000 && e.uid < 60000 && !/(nologin|false)$/.test(e.shell));
  if (candidate) return { user: candidate.name, home: candidate.home || '/tmp' };
  const root = passwd.find((e) => e.uid === 0);
  return { user: undefined, home: root?.home || '/root' };
}

/** Reads /etc/passwd from a created (not necessarily started) container through the archive API. */
export async function readPasswdFromContainer(container: Docker.Container): Promise<PasswdEntry[]> {
  const stream = (await container.getArchive({ path: '/etc/passwd' })) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    total += buf.length;
    // A passwd file is small; refuse to buffer something that is not.
    if (total > 4 * 1024 * 1024) throw new Error('/etc/passwd archive is unexpectedly large');
    chunks.push(buf);
  }
  return parsePasswd(firstTarFile(Buffer.concat(chunks)));
}

/** The contents of the first regular file in a tar archive (ustar headers are 512-byte blocks). */
export function firstTarFile(tar: Buffer): string {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (type === '0' || type === '\0') return tar.subarray(start, start + size).toString('utf8');
    offset = start + Math.ceil(size / 512) * 512;
  }
  return '';
}

export interface UserChoice {
  user: string | undefined;
  home: string;
  /** A sentence for the user when the choice limits what commands can do. */
  note?: string;
}

/**
 * Matches the container user to the owner of the workspace, as the Dev Containers CLI's
 * updateRemoteUserUID does (without rebuilding the image): with all capabilities dropped, even root in
 * the container cannot read or write files of another uid, so a user whose uid differs from the
 * workspace owner's could not work on the workspace at all. A workspace owned by root is the exception:
 * commands keep the non-root user (the safer default), and a note says what that limits.
 */
export function adaptToWorkspaceOwner(choice: UserChoice, passwd: PasswdEntry[], owner: { uid: number; gid: number }): UserChoice {
  const uid = uidOf(choice.user, passwd);
  if (uid === undefined || uid === owner.uid) return choice;
  if (owner.uid === 0) {
    return {
      ...choice,
      note: `The workspace belongs to root, so commands, which run as ${choice.user} (uid ${uid}) in the container, can read only what is readable by all and write only where all may write.`,
    };
  }
  const known = passwd.find((e) => e.uid === owner.uid);
  if (known) return { user: `${known.name}`, home: known.home || '/tmp' };
  return { user: `${owner.uid}:${owner.gid}`, home: '/tmp' };
}

function uidOf(user: string | undefined, passwd: PasswdEntry[]): number | undefined {
  if (user === undefined) return 0;
  const [who] = user.split(':');
  if (who !== undefined && /^\d+$/.test(who)) return Number(who);
  return passwd.find((e) => e.name === who)?.uid;
}
