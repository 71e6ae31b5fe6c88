// What a migration may need beyond SQL: the master keys of PAYLOAD_KEYS, when the migrating process holds them (the
// API and the worker; scripts and the test template do not). Set by `migrate` for the time of one run, under its lock.
import type { MasterKeys } from './person-keys';

let current: MasterKeys | undefined;

export function migrationMasterKeys(): MasterKeys | undefined {
  return current;
}

export async function withMigrationMasterKeys<T>(master: MasterKeys | undefined, run: () => Promise<T>): Promise<T> {
  current = master;
  try {
    return await run();
  } finally {
    current = undefined;
  }
}
