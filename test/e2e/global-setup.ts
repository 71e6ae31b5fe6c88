// The browser tests' shared stack: the web app built once (the API serves dist/web under /app/), then the same
// Temporal dev server and PostgreSQL as the integration tests.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import integrationSetup from '../global-setup';

export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const build = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (build.status !== 0) throw new Error(`the web app did not build (vite exit ${build.status})`);
  await integrationSetup();
}
