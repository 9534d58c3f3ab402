import { createHash, randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { CommandRequest, CommandResult, Sandbox } from '../../core/ports';
import type { DevcontainerSettings } from './devcontainerConfig';
import { findKeepalivePid, runExec } from './dockerExec';
import { classifyDockerError, DockerUnavailableError } from './dockerStatus';
import { buildContainerEnv, toDockerEnv } from './envAllowlist';
import { defaultOutputLimits, type OutputLimits } from './outputCollector';
import { ensureSpillDir } from './spillDir';
import { isInside, protectedKey, protectedLayout, removePlaceholders, type ProtectedMount } from './protectedMounts';
import { scanWorkspace, type WorkspaceScan } from './workspaceScan';
import type { ScanAware } from './auditedSandbox';
import { adaptToWorkspaceOwner, chooseUser, readPasswdFromContainer, type PasswdEntry, type UserChoice } from './containerUser';

export interface DockerSandboxOptions {
  /** Host folder of the workspace; bind-mounted read-write at `settings.workspaceFolder`. */
  workspaceRoot: string;
  settings: DevcontainerSettings;
  /** Host folder for full outputs of cut commands (e.g. `<workspace>/.agent-harness/spill`). */
  spillDir: string;
  docker?: Docker;
  /** Network access from the container; off unless a setting turns it on. */
  allowNetwork?: boolean;
  /**
   * With allowNetwork: the internal Docker network whose only way out is the egress proxy (see
   * sandboxEgress.ts). Without it, allowNetwork means the default bridge (tests only).
   */
  network?: string;
  /** Extra environment for every command (the egress proxy variables). */
  extraEnv?: Record<string, string>;
  memoryBytes?: number;
  cpus?: number;
  pidsLimit?: number;
  outputCapBytes?: number;
  streamLimitBytes?: number;
  /** The product's configuration folder name, protected like `.vscode` (default `.agent-harness`). */
  configDirName?: string;
  /** Overrides devcontainer.json's remoteUser and the detection. */
  user?: string;
  /** Run as the workspace owner's uid when the chosen user's differs (default true; see adaptToWorkspaceOwner). */
  matchWorkspaceOwner?: boolean;
  /** The host environment, read only for locale variables. */
  hostEnv?: Record<string, string | undefined>;
}

/** The image is not on this machine; the message says how to get it, because the sandbox never pulls. */
export class SandboxImageMissingError extends Error {
  constructor(readonly image: string) {
    super(
      `The dev container image "${image}" is not on this machine, and Agent Harness never pulls images on its own. ` +
        `Get it with "docker pull ${image}" (or build it: "docker build -t ${image} <folder with the Dockerfile>"), then run again.`,
    );
    this.name = 'SandboxImageMissingError';
  }
}

/** Settings or state that make starting the container unsafe or impossible; the message is for the user. */
export class SandboxSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxSetupError';
  }
}

const gib = 1024 * 1024 * 1024;
const keepAlive = ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];
export const sandboxLabel = 'dev.agent-harness.sandbox';

interface LiveContainer {
  container: Docker.Container;
  name: string;
  user: string | undefined;
  home: string;
  protectedKey: string;
  /** The keep-alive loop, spared when a command's stray processes are swept. */
  keepalivePid?: number;
}

/**
 * One warm dev container per workspace session. Every command is a `docker exec` into it; the container
 * is created on first use (or by `start()`), recreated when it has died, been removed, or when the set of
 * protected paths changed, and removed by `dispose()`.
 */
export class DockerSandbox implements Sandbox, ScanAware {
  readonly mode = 'container' as const;
  private readonly docker: Docker;
  private readonly workspaceRoot: string;
  private readonly limits: OutputLimits;
  private live: LiveContainer | undefined;
  private starting: Promise<LiveContainer> | undefined;
  private disposed = false;
  private imagePath: string | undefined;
  private userChoice: UserChoice | undefined;
  private readonly sessionId = randomBytes(4).toString('hex');
  /** The audit's scan from just before the next command, so the mounts are decided without a second walk. */
  private pendingScan: WorkspaceScan | undefined;
  /** Root folders this sandbox created as read-only placeholders; removed at dispose when still empty. */
  private readonly createdPlaceholders = new Set<string>();
  /** Things the user should know (refused containerEnv variables, a user that cannot write the workspace), each a sentence. */
  readonly notices: string[] = [];

  constructor(private readonly options: DockerSandboxOptions) {
    this.docker = options.docker ?? new Docker();
    this.workspaceRoot = realpathSync(options.workspaceRoot);
    this.limits = {
      capBytes: options.outputCapBytes ?? defaultOutputLimits.capBytes,
      streamLimitBytes: options.streamLimitBytes ?? defaultOutputLimits.streamLimitBytes,
      spillDir: options.spillDir,
      workspaceRoot: this.workspaceRoot,
    };
  }

  describe(): string {
    const s = this.options.settings;
    const who = this.live ? (this.live.user ?? 'the image default user') : 'user to be detected';
    const name = this.live?.name ?? `agent-harness-sbx-${this.sessionId} (not started)`;
    const net = !this.options.allowNetwork ? 'none' : this.options.network ? 'through the egress proxy only' : 'allowed';
    return `container ${name} (image ${s.image}, ${who}, network ${net}, workspace at ${s.workspaceFolder})`;
  }

  /** Creates and starts the container now, so a missing image or a dead engine shows up before the first command. */
  async start(): Promise<void> {
    await this.ensureContainer();
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    if (this.disposed) throw new SandboxSetupError('The sandbox was disposed; start a new session to run commands.');
    const workingDir = this.workingDir(request.cwd);
    let live = await this.ensureContainer();
    let outcome;
    try {
      outcome = await this.exec(live, request, workingDir);
    } catch (error) {
      if (!isGoneError(error)) throw this.translate(error);
      // The container crashed or was removed between commands: clear away what is left, make a new one
      // and run the command there.
      await this.removeLive();
      live = await this.ensureContainer();
      outcome = await this.exec(live, request, workingDir).catch((e: unknown) => {
        throw this.translate(e);
      });
    }
    if (outcome.killFailed) {
      // Some process survived the group kill (or could not be targeted); only a new container ends it for sure.
      await this.removeLive();
    }
    const { killFailed: _killFailed, ...result } = outcome;
    return result;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.starting) await this.starting.catch(() => undefined);
    await this.removeLive();
    await removePlaceholders(this.workspaceRoot, [...this.createdPlaceholders]);
  }

  useScan(scan: WorkspaceScan): void {
    this.pendingScan = scan;
  }

  /** The placeholder folders this sandbox made (the audit leaves them out: nothing can be written there). */
  placeholders(): string[] {
    return [...this.createdPlaceholders];
  }

  /** The live container's name, for tests and diagnostics. */
  get containerName(): string | undefined {
    return this.live?.name;
  }

  private async exec(live: LiveContainer, request: CommandRequest, workingDir: string) {
    const { env } = buildContainerEnv({
      hostEnv: this.options.hostEnv ?? process.env,
      containerEnv: this.options.settings.containerEnv,
      home: live.home,
      imagePath: this.imagePath,
    });
    return runExec({
      container: live.container,
      commandLine: request.commandLine,
      user: live.user,
      workingDir,
      env: toDockerEnv({ ...env, ...this.options.extraEnv }),
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      limits: this.limits,
      onOutput: request.onOutput,
      ...(live.keepalivePid !== undefined ? { keepalivePid: live.keepalivePid } : {}),
    });
  }

  private workingDir(cwd: string | undefined): string {
    const folder = this.options.settings.workspaceFolder;
    if (!cwd) return folder;
    if (cwd.includes('\0') || path.posix.isAbsolute(cwd) || path.win32.isAbsolute(cwd)) {
      throw new SandboxSetupError(`The working directory "${cwd}" must be relative to the workspace root.`);
    }
    const joined = path.posix.normalize(path.posix.join(folder, cwd.split(path.sep).join('/')));
    if (joined !== folder && !joined.startsWith(`${folder}/`)) {
      throw new SandboxSetupError(`The working directory "${cwd}" is outside the workspace.`);
    }
    return joined;
  }

  private async ensureContainer(): Promise<LiveContainer> {
    if (this.disposed) throw new SandboxSetupError('The sandbox was disposed; start a new session to run commands.');
    const scan = this.pendingScan ?? (await scanWorkspace(this.workspaceRoot, { configDirName: this.options.configDirName }));
    this.pendingScan = undefined;
    const layout = await protectedLayout(this.workspaceRoot, scan, this.options.configDirName);
    for (const p of layout.placeholders) this.createdPlaceholders.add(p);
    const mounts = layout.mounts;
    if (this.live && this.live.protectedKey === protectedKey(mounts)) return this.live;
    if (this.live) await this.removeLive();
    this.starting ??= this.createContainer(mounts).finally(() => {
      this.starting = undefined;
    });
    const live = await this.starting;
    if (this.disposed) {
      await this.removeContainer(live.container);
      throw new SandboxSetupError('The sandbox was disposed while its container was starting.');
    }
    this.live = live;
    return live;
  }

  private async createContainer(mounts: ProtectedMount[]): Promise<LiveContainer> {
    const settings = this.options.settings;
    this.refuseSocketMount();
    // Before the container exists, so the product folder it lives in is there to be mounted read-only.
    ensureSpillDir(this.options.spillDir);
    const image = await this.inspectImage(settings.image);
    this.imagePath = image.Config?.Env?.find((e) => e.startsWith('PATH='))?.slice(5);

    // The user is decided once per session; a recreated container gets the same one without probing again.
    let chosen = this.userChoice;
    let created: { container: Docker.Container; name: string };
    if (chosen) {
      created = await this.create(chosen.user, mounts);
    } else {
      const requested = this.options.user ?? settings.user ?? nonRoot(image.Config?.User);
      created = await this.create(requested, mounts);
      let passwd: PasswdEntry[] = [];
      try {
        passwd = await readPasswdFromContainer(created.container);
      } catch {
        // An image without /etc/passwd: keep what was requested (or the image default).
      }
      const owner = statSync(this.workspaceRoot);
      chosen = this.options.matchWorkspaceOwner === false
        ? chooseUser(requested, passwd)
        : adaptToWorkspaceOwner(chooseUser(requested, passwd), passwd, { uid: owner.uid, gid: owner.gid });
      if (chosen.note && !this.notices.includes(chosen.note)) this.notices.push(chosen.note);
      if (chosen.user !== requested) {
        // Detection chose a user the image did not declare; a container's user is fixed at creation.
        await this.removeContainer(created.container);
        created = await this.create(chosen.user, mounts);
      }
      this.userChoice = chosen;
    }
    const { container, name } = created;
    try {
      await container.start();
    } catch (error) {
      await this.removeContainer(container);
      throw this.translate(error);
    }
    const keepalivePid = await findKeepalivePid(container, chosen.user).catch(() => undefined);
    return { container, name, user: chosen.user, home: chosen.home, protectedKey: protectedKey(mounts), ...(keepalivePid !== undefined ? { keepalivePid } : {}) };
  }

  private async create(user: string | undefined, mounts: ProtectedMount[]): Promise<{ container: Docker.Container; name: string }> {
    const settings = this.options.settings;
    const folder = settings.workspaceFolder;
    const workspaceHash = createHash('sha256').update(this.workspaceRoot).digest('hex').slice(0, 8);
    const name = `agent-harness-sbx-${workspaceHash}-${this.sessionId}-${randomBytes(2).toString('hex')}`;
    const { env, dropped } = buildContainerEnv({
      hostEnv: this.options.hostEnv ?? process.env,
      containerEnv: settings.containerEnv,
      home: '/tmp',
      imagePath: this.imagePath,
    });
    delete env.HOME;
    for (const line of dropped) if (!this.notices.includes(line)) this.notices.push(line);
    const memory = this.options.memoryBytes ?? 2 * gib;
    const cpus = this.options.cpus ?? Math.min(2, Math.max(1, os.cpus().length));
    const dockerMounts: Docker.MountSettings[] = [
      { Type: 'bind', Source: this.workspaceRoot, Target: folder, ReadOnly: false },
      ...mounts.map((m) => ({ Type: 'bind' as const, Source: m.source, Target: `${folder}/${m.relative}`, ReadOnly: true })),
    ];
    const create: Docker.ContainerCreateOptions = {
      name,
      Image: settings.image,
      Entrypoint: keepAlive,
      Cmd: [],
      Env: toDockerEnv({ ...env, ...this.options.extraEnv }),
      WorkingDir: folder,
      Tty: false,
      OpenStdin: false,
      NetworkDisabled: !this.options.allowNetwork,
      Labels: {
        [sandboxLabel]: '1',
        [`${sandboxLabel}.workspace`]: this.workspaceRoot,
        [`${sandboxLabel}.session`]: this.sessionId,
        // Who owns the container, so a later session can remove it when this process died without disposing.
        [`${sandboxLabel}.host`]: os.hostname(),
        [`${sandboxLabel}.pid`]: String(process.pid),
      },
      HostConfig: {
        NetworkMode: this.options.allowNetwork ? (this.options.network ?? 'bridge') : 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
        IpcMode: 'private',
        Memory: memory,
        MemorySwap: memory,
        NanoCpus: Math.round(cpus * 1e9),
        PidsLimit: this.options.pidsLimit ?? 512,
        Init: true,
        Mounts: dockerMounts,
        AutoRemove: false,
      },
    };
    if (user !== undefined) create.User = user;
    try {
      const container = await this.docker.createContainer(create);
      return { container, name };
    } catch (error) {
      throw this.translate(error);
    }
  }

  private async inspectImage(image: string): Promise<Docker.ImageInspectInfo> {
    try {
      return await this.docker.getImage(image).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new SandboxImageMissingError(image);
      throw this.translate(error);
    }
  }

  /**
   * The engine's socket must never be reachable from inside. Only the workspace is mounted, so the one
   * way it could be is a workspace that contains the socket (a workspace at / or /var/run, say).
   */
  private refuseSocketMount(): void {
    const candidates = ['/var/run/docker.sock', '/run/docker.sock'];
    const socketPath = (this.docker.modem as { socketPath?: unknown }).socketPath;
    if (typeof socketPath === 'string') candidates.push(socketPath);
    for (const candidate of candidates) {
      let real = candidate;
      try {
        real = realpathSync(candidate);
      } catch {
        // A socket that does not exist cannot be mounted; still compare the path itself.
      }
      if (isInside(this.workspaceRoot, real) || isInside(this.workspaceRoot, candidate) || this.workspaceRoot === '/') {
        throw new SandboxSetupError(`The workspace ${this.workspaceRoot} contains the Docker socket (${candidate}); the sandbox refuses to mount it.`);
      }
    }
  }

  private async removeLive(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (live) await this.removeContainer(live.container);
  }

  private async removeContainer(container: Docker.Container): Promise<void> {
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw this.translate(error);
    }
  }

  private translate(error: unknown): Error {
    if (error instanceof SandboxImageMissingError || error instanceof SandboxSetupError || error instanceof DockerUnavailableError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'EPERM') {
      const status = classifyDockerError(error, process.env.PATH ?? '');
      return new DockerUnavailableError(status.problem, status.message);
    }
    const message = (error as Error).message ?? String(error);
    return new SandboxSetupError(`Docker refused a sandbox operation: ${message.split('\n')[0]}`);
  }
}

function nonRoot(user: string | undefined): string | undefined {
  if (!user) return undefined;
  const name = user.split(':')[0];
  return name === 'root' || name === '0' ? undefined : user;
}

function isGoneError(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}
