import { describe, expect, it } from 'vitest';
import { buildContainerEnv, buildLocalEnv, envDenialReason, toDockerEnv } from '../../../../src/adapters/sandbox/envAllowlist';

const host = {
  PATH: '/host/bin',
  HOME: '/root',
  LANG: 'en_US.UTF-8',
  OPENAI_API_KEY: 'sk-planted',
  AGENT_HARNESS_API_KEY: 'planted',
  NODE_OPTIONS: '--require /evil.js',
  LD_PRELOAD: '/evil.so',
  GIT_SSH_COMMAND: 'evil',
  AWS_SECRET_ACCESS_KEY: 'planted',
};

describe('buildContainerEnv', () => {
  it('keeps only the safe basics from the host and uses the image PATH', () => {
    const { env } = buildContainerEnv({ hostEnv: host, containerEnv: {}, home: '/home/node', imagePath: '/usr/local/bin:/usr/bin' });
    expect(env).toEqual({ PATH: '/usr/local/bin:/usr/bin', HOME: '/home/node', TERM: 'dumb', CI: 'true', LANG: 'en_US.UTF-8' });
  });

  it('falls back to a standard PATH and C.UTF-8', () => {
    const { env } = buildContainerEnv({ hostEnv: {}, containerEnv: {}, home: '/tmp' });
    expect(env.PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(env.LANG).toBe('C.UTF-8');
  });

  it('adds containerEnv but drops variables that change how programs run or look like credentials', () => {
    const { env, dropped } = buildContainerEnv({
      hostEnv: {},
      containerEnv: { NODE_ENV: 'dev', NODE_OPTIONS: '--inspect', GIT_DIR: '/x', LD_LIBRARY_PATH: '/x', npm_config_registry: 'http://x', GH_TOKEN: 't', MY_API_KEY: 'k', 'BAD-NAME': 'v' },
      home: '/tmp',
    });
    expect(env.NODE_ENV).toBe('dev');
    for (const name of ['NODE_OPTIONS', 'GIT_DIR', 'LD_LIBRARY_PATH', 'npm_config_registry', 'GH_TOKEN', 'MY_API_KEY', 'BAD-NAME']) {
      expect(env[name], name).toBeUndefined();
      expect(dropped.some((d) => d.includes(name)), name).toBe(true);
    }
  });
});

describe('envDenialReason', () => {
  it('allows ordinary names and refuses the dangerous families', () => {
    expect(envDenialReason('NODE_ENV')).toBeUndefined();
    expect(envDenialReason('PYTHONUNBUFFERED')).toBeUndefined();
    expect(envDenialReason('AUTHOR_NAME')).toBeUndefined();
    expect(envDenialReason('BASH_ENV')).toMatch(/start or run code/);
    expect(envDenialReason('DYLD_INSERT_LIBRARIES')).toMatch(/start or run code/);
    expect(envDenialReason('git_config_global')).toMatch(/start or run code/);
    expect(envDenialReason('DB_PASSWORD')).toMatch(/credential/);
    expect(envDenialReason('1X')).toMatch(/valid/);
  });
});

describe('buildLocalEnv', () => {
  it('passes the host PATH and HOME but no secrets or loader variables', () => {
    const env = buildLocalEnv(host);
    expect(env.PATH).toBe('/host/bin');
    expect(env.HOME).toBe('/root');
    expect(Object.keys(env).sort()).toEqual(['CI', 'HOME', 'LANG', 'PATH', 'TERM']);
  });

  it('formats NAME=value pairs for Docker', () => {
    expect(toDockerEnv({ A: '1', B: 'x=y' })).toEqual(['A=1', 'B=x=y']);
  });
});
