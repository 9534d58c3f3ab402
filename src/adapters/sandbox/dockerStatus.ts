import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';

/** Why the Docker engine cannot be used; the caller turns this into "commands are disabled" and carries on. */
export type DockerProblem = 'not-installed' | 'not-running' | 'permission-denied' | 'unreachable';

export type DockerStatus =
  | { available: true; serverVersion: string; apiVersion: string }
  | { available: false; problem: DockerProblem; message: string };

/** Thrown by the sandbox when the engine goes away mid-session; carries the same clear message. */
export class DockerUnavailableError extends Error {
  constructor(
    readonly problem: DockerProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DockerUnavailableError';
  }
}

export interface DockerStatusOptions {
  docker?: Docker;
  timeoutMs?: number;
  /** Where to look for a `docker` program when deciding between "not installed" and "not running". */
  pathEnv?: string;
}

const suffix = 'commands are disabled for this run';

/** Pings the engine once. Never throws: every failure becomes a typed status with a sentence for the user. */
export async function checkDockerStatus(options: DockerStatusOptions = {}): Promise<DockerStatus> {
  const docker = options.docker ?? new Docker();
  const timeoutMs = options.timeoutMs ?? 3000;
  try {
    const version = await withTimeout(docker.version(), timeoutMs);
    return { available: true, serverVersion: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    return classifyDockerError(error, options.pathEnv ?? process.env.PATH ?? '');
  }
}

/** Maps a connection error to a problem and a message that says what is wrong and what happens next. */
export function classifyDockerError(error: unknown, pathEnv: string): Extract<DockerStatus, { available: false }> {
  const err = error as NodeJS.ErrnoException & { address?: string; statusCode?: number };
  const where = err.address ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
    if (!hasDockerProgram(pathEnv)) {
      return { available: false, problem: 'not-installed', message: `Docker is not installed (no docker program and no engine at ${where}); ${suffix}.` };
    }
    return { available: false, problem: 'not-running', message: `Docker is not running: nothing answers at ${where}; ${suffix}. Start Docker and run again.` };
  }
  if (err.code === 'EACCES' || err.code === 'EPERM') {
    return {
      available: false,
      problem: 'permission-denied',
      message: `Docker is not usable: permission denied on ${where} (add your user to the docker group); ${suffix}.`,
    };
  }
  if (err.code === 'ETIMEDOUT' || err.message === 'timeout') {
    return { available: false, problem: 'unreachable', message: `Docker is not answering at ${where} (timed out); ${suffix}.` };
  }
  const detail = err.message ? err.message.split('\n')[0] : String(error);
  return { available: false, problem: 'unreachable', message: `Docker is not usable: ${detail}; ${suffix}.` };
}

function hasDockerProgram(pathEnv: string): boolean {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, 'docker'), constants.X_OK);
      return true;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return false;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
