// The web app's API types (apps/web/src/api/schema.d.ts) are what the API's OpenAPI document says today: a
// change to a route or DTO without `npm run web:api-schema` fails here, so the typed client cannot drift.
// A child process, because openapi-typescript's dependencies are ES modules that Jest's CommonJS runtime cannot load.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('web API schema', () => {
  it('matches the OpenAPI document the API builds', () => {
    const root = path.resolve(__dirname, '../..');
    const result = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/web-api-schema.ts', '--check'],
      { cwd: root, encoding: 'utf8', timeout: 110_000 },
    );
    expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });
});
