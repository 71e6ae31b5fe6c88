#!/usr/bin/env node
// Finds the Chromium the browser tests drive (Debian's package, never a Playwright browser download):
// CHROMIUM_PATH, then `chromium` / `chromium-browser` on PATH, else `apt-get install chromium` when running as
// root, else a message saying how to get one. Like scripts/dev-stack/ensure-temporal.js finds the Temporal CLI.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { isExecutable, onPath } = require('./find-executable');

const NAMES = ['chromium', 'chromium-browser'];

function found() {
  for (const name of NAMES) {
    const file = onPath(name);
    if (file) return file;
  }
  return undefined;
}

/** Returns the path of a Chromium binary, installing Debian's package when we may. */
function ensureChromium({ log = (line) => process.stderr.write(line + '\n') } = {}) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const existing = found();
  if (existing) return existing;

  const apt = onPath('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!apt || !root) {
    throw new Error(
      'Chromium was not found for the browser tests.\n' +
        '  Install it (Debian/Ubuntu: sudo apt-get install chromium), or put `chromium` on PATH,\n' +
        '  or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  log('Installing Debian Chromium for the browser tests (apt-get install chromium), once per machine...');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = spawnSync(apt, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium binary is on PATH');
  return installed;
}

module.exports = { ensureChromium };

if (require.main === module) {
  try {
    process.stdout.write(ensureChromium() + '\n');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
