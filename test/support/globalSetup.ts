import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Tests that run the CLI as a user would need the bundles; building takes about a second. */
export function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build.mjs')], { stdio: 'inherit' });
}
