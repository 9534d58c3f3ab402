// Benchmarks are plain Node ESM scripts. They load the project's TypeScript by bundling one entry
// file with esbuild into a temporary ES module, so what is measured is the same code the product runs.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundles `entry` (relative to the repository root) and imports it. */
export async function loadTs(entry) {
  const outfile = await bundleTs(entry);
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(outfile, { force: true });
  }
}

/**
 * Bundles `entry` into a module file and returns its path; the caller removes it. Child processes
 * import the file directly, so esbuild is not loaded into (and does not inflate) the process measured.
 */
export async function bundleTs(entry) {
  // Inside the repository, so bare imports resolve from its node_modules.
  const dir = path.join(repoRoot, '.cache', 'bench');
  await mkdir(dir, { recursive: true });
  const outfile = path.join(dir, `${path.basename(entry).replace(/\W+/g, '_')}-${randomUUID()}.mjs`);
  await build({
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Packages are bundled too, as in dist/: lazily imported modules (the SDK of the protocol not in
    // use) then stay unevaluated, exactly as in the product.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export function median(xs) {
  return percentile(xs, 50);
}

export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
