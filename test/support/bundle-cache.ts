// The workflow bundle of the last run, reused while nothing that went into it has changed: webpack takes seconds of
// every run (test/global-setup.ts). The bundle names each module it holds ("./workflows/...", "./node_modules/..."),
// so the record of what it was built from is exact: the content of each of those files, and besides them what
// decides how they are bundled or resolved (the lockfile, tsconfig, the interceptor list, the file names under
// workflows/ and libs/). Any difference, and the bundle is built again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SETTINGS = [
  'package-lock.json',
  'tsconfig.json',
  'apps/worker/src/workflow-interceptors.ts',
  'test/global-setup.ts',
  'node_modules/@temporalio/worker/package.json',
];
const MODULE = /^\/\*\*\*\/ "\.\/([^"]+)"/gm;

interface Manifest {
  settings: string;
  code: string;
  modules: Record<string, string>;
}

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fileDigest(relative: string): string {
  const file = path.join(ROOT, relative);
  return existsSync(file) ? digest(readFileSync(file)) : 'missing';
}

function names(relative: string): string[] {
  const dir = path.join(ROOT, relative);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function settingsDigest(): string {
  const parts = [process.version, ...SETTINGS.map(fileDigest), ...names('workflows'), ...names('libs')];
  return digest(parts.join('\n'));
}

/** The bundle's code: the cached one if every input is unchanged, otherwise `build()`'s, which is then cached. */
export async function cachedWorkflowBundle(build: () => Promise<string>): Promise<string> {
  // One cache per checkout: worktrees of the same repository on one machine differ in their files.
  const dir = path.join(tmpdir(), 'exit-pathways-workflow-bundle', digest(ROOT).slice(0, 16));
  const codeFile = path.join(dir, 'bundle.js');
  const manifestFile = path.join(dir, 'manifest.json');
  const settings = settingsDigest();
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    const unchanged =
      manifest.settings === settings &&
      Object.entries(manifest.modules).every(([file, hash]) => fileDigest(file) === hash);
    const code = unchanged ? readFileSync(codeFile, 'utf8') : undefined;
    if (code !== undefined && digest(code) === manifest.code) return code;
  } catch {
    // No cache yet, or an unreadable one: build.
  }
  const code = await build();
  const modules: Record<string, string> = {};
  for (const [, file] of code.matchAll(MODULE)) modules[file] = fileDigest(file);
  // A bundle whose modules cannot be found by those names (another webpack naming scheme or context) is not
  // cached: nothing could tell when it goes stale.
  if (!modules['workflows/index.ts'] || Object.values(modules).includes('missing')) return code;
  mkdirSync(dir, { recursive: true });
  // Written whole, then renamed: a run reading the cache at the same time sees the old files or the new ones.
  const suffix = `${process.pid}-${Date.now()}`;
  writeFileSync(`${codeFile}.${suffix}`, code);
  renameSync(`${codeFile}.${suffix}`, codeFile);
  writeFileSync(
    `${manifestFile}.${suffix}`,
    JSON.stringify({ settings, code: digest(code), modules } satisfies Manifest),
  );
  renameSync(`${manifestFile}.${suffix}`, manifestFile);
  return code;
}
