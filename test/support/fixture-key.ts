// The payload key the committed histories in test/fixtures/histories were recorded with. A test fixture, not a
// secret: it protects nothing but those synthetic histories.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openWithMaster } from '../../libs/persistence/src';
import { AesGcmPayloadCodec, parsePayloadKeys, type PersonKeyring } from '../../libs/temporal/src';

export const FIXTURE_PAYLOAD_KEYS = 'fixture:ZXhpdC1wYXRod2F5cy1maXh0dXJlLWtleS0zMmJ5dGU=';

/** Beside a history recorded since per-person keys: its pathway's person key rows, as stored (wrapped). */
export const FIXTURE_KEYS_SUFFIX = '.keys.json';

export interface FixtureKeyRow {
  id: string;
  masterKeyId: string;
  /** base64 of the key sealed by the fixture master key (`person-key:<id>` bound), as in person_keys.wrapped. */
  wrapped: string;
}

/**
 * The codec that reads the committed histories: the fixture master key, and the person keys every recording saved
 * beside its history, unwrapped by that master key. A replay writes nothing for a pathway, so it never makes a key.
 */
export function fixtureCodec(dir: string): AesGcmPayloadCodec {
  const master = parsePayloadKeys(FIXTURE_PAYLOAD_KEYS, undefined);
  const rows = new Map<string, FixtureKeyRow>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(FIXTURE_KEYS_SUFFIX))) {
    for (const row of JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as FixtureKeyRow[]) rows.set(row.id, row);
  }
  const keyring: PersonKeyring = {
    ensure: () => Promise.reject(new Error('a replay encodes nothing for a pathway: it makes no person key')),
    byId: (keyId) => {
      const row = rows.get(keyId);
      if (!row) return Promise.resolve(undefined);
      const key = openWithMaster(master, row.masterKeyId, Buffer.from(row.wrapped, 'base64'), `person-key:${keyId}`);
      return Promise.resolve({ keyId, key });
    },
  };
  return new AesGcmPayloadCodec(master, keyring);
}

/** The histories in `dir`, without the key files beside them. */
export function historyFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith(FIXTURE_KEYS_SUFFIX));
}
