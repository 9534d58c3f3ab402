import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throw-away git repository for tests, with a local identity so commits work on any machine. */
export class TestRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ah-review-'));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  }

  write(rel: string, content: string | Buffer): void {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  commitAll(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `count` numbered lines, "line 1\n" ... */
export function numberedLines(count: number, prefix = 'line'): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}
