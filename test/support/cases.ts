// Several case files in one Jest test file, so that they share one sandbox: every Jest test file loads NestJS,
// TypeORM, the Temporal SDK and the development issuer afresh (2–3 s of CPU each, more than most files' tests), and
// a group pays for that once. Each case file becomes a `describe` named after it, so its top-level hooks stay its
// own and `-t '^events-api'` runs one file's cases. Every `.ts` file in the folder is a case file: none can be
// forgotten.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export function describeCaseFiles(folder: string): void {
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.ts'))
    .sort();
  if (files.length === 0) throw new Error(`no case files in ${folder}`);
  for (const file of files) {
    describe(file.replace(/\.ts$/, ''), () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(folder, file));
    });
  }
}
