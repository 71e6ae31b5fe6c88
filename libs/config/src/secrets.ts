// Secrets from files: each secret setting X (SECRET_SETTINGS) may instead be given as X_FILE, the path of a file
// holding its value (a Docker or Kubernetes secret mounted at /run/secrets/…), so keys and passwords need not sit in
// the process environment, where `docker inspect`, a crash dump or a child process would show them. Read once at
// start; an error names the variable and the file, never the value. Only these: other programs' *_FILE variables
// (SSL_CERT_FILE, TF_CLI_CONFIG_FILE, …) are often in a machine's environment and are none of ours.
import { readFileSync } from 'node:fs';

const FILE_SUFFIX = '_FILE';

/** The settings of the api and the worker that may come from a file. */
export const SECRET_SETTINGS: readonly string[] = [
  'DATABASE_URL',
  'DATABASE_APP_URL',
  'DATABASE_PASSWORD',
  'DATABASE_APP_PASSWORD',
  'PAYLOAD_KEYS',
  'PAYLOAD_ACTIVE_KEY_ID',
  'PERSON_SEARCH_KEY',
];

/**
 * The environment with each X_FILE of SECRET_SETTINGS read into X (the file's content without its trailing newline).
 * X and X_FILE both set is an error: which one is meant cannot be guessed. A missing or unreadable file is an error.
 */
export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...env };
  for (const target of SECRET_SETTINGS) {
    const name = `${target}${FILE_SUFFIX}`;
    const file = env[name];
    if (!file) continue;
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
