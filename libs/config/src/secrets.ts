// Secrets from files: every setting X may instead be given as X_FILE, the path of a file holding its value (a Docker
// or Kubernetes secret mounted at /run/secrets/…), so keys and passwords need not sit in the process environment,
// where `docker inspect`, a crash dump or a child process would show them. Read once at start; an error names the
// variable and the file, never the value.
import { readFileSync } from 'node:fs';

const FILE_SUFFIX = '_FILE';

/**
 * The environment with every X_FILE read into X (the file's content without its trailing newline). X and X_FILE
 * both set is an error: which one is meant cannot be guessed. A missing or unreadable file is an error.
 */
export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const [name, file] of Object.entries(env)) {
    if (!name.endsWith(FILE_SUFFIX) || name.length === FILE_SUFFIX.length || !file) continue;
    const target = name.slice(0, -FILE_SUFFIX.length);
    if (env[target] !== undefined && env[target] !== '') throw new Error(`set ${target} or ${name}, not both`);
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new Error(`${name}: cannot read ${file} (${code})`);
    }
    resolved[target] = content.replace(/\r?\n$/, '');
  }
  return resolved;
}

/** Reads a PEM (or any) file named by a setting; the error names the setting and the file. */
export function readSettingFile(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${name}: cannot read ${file} (${code})`);
  }
}
