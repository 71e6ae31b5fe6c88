// Looking for a program the dev stack and the tests need (the Temporal CLI, Chromium): is a file executable, and
// where on PATH does a name stand. Shared by ensure-temporal.js and ensure-chromium.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

module.exports = { isExecutable, onPath };
