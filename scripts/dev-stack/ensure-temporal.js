#!/usr/bin/env node
// Finds the Temporal CLI (which carries the dev server) or builds the pinned version with Go into a cache
// directory outside the repository. Nothing is downloaded at run time except Go modules through the proxy.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { isExecutable, onPath } = require('./find-executable');

const PINNED_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'exit-pathways', 'bin');
}

/** Returns the path of a usable `temporal` binary, building it when none is found. */
function ensureTemporal({ log = (line) => process.stderr.write(line + '\n') } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = path.join(cacheDir(), 'temporal');
  if (isExecutable(cached)) return cached;
  const found = onPath('temporal');
  if (found) return found;

  const go = onPath('go') || (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it.\n' +
        '  Either install Go >= 1.25 (then run this again: it builds the pinned CLI once),\n' +
        '  or put a `temporal` binary on PATH, or set TEMPORAL_CLI_PATH to one.',
    );
  }
  fs.mkdirSync(cacheDir(), { recursive: true });
  log(`Building the Temporal CLI (${PINNED_MODULE}) into ${cacheDir()} — a few minutes, once per machine...`);
  const result = spawnSync(go, ['install', PINNED_MODULE], {
    env: { ...process.env, GOBIN: cacheDir(), CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !isExecutable(cached)) {
    throw new Error(`go install ${PINNED_MODULE} failed (exit ${result.status}); see the output above`);
  }
  log(`Temporal CLI built: ${execFileSync(cached, ['--version']).toString().trim()}`);
  return cached;
}

module.exports = { ensureTemporal, cacheDir };

if (require.main === module) {
  try {
    process.stdout.write(ensureTemporal() + '\n');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
