// Webhook secrets sealed at rest by the master key (PAYLOAD_KEYS), with the same sealing as the person keys.
import { randomBytes } from 'node:crypto';
import {
  openWebhookSecret,
  openWithMaster,
  sealWebhookSecret,
  sealWithMaster,
  type MasterKeys,
} from '../../libs/persistence/src';

const SECRET = 'Zm9vYmFyYmF6cXV4LXdlYmhvb2stc2VjcmV0LTAxMjM0';
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const only1: MasterKeys = { activeKeyId: 'k1', keys: new Map([['k1', k1]]) };
const rotated: MasterKeys = {
  activeKeyId: 'k2',
  keys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
};
const only2: MasterKeys = { activeKeyId: 'k2', keys: new Map([['k2', k2]]) };

describe('webhook secrets sealed by the master key', () => {
  it('seals under the active key, names it beside the ciphertext, and opens to the secret', () => {
    const stored = sealWebhookSecret(only1, 'SSP', SECRET);
    expect(stored.keyId).toBe('k1');
    expect(stored.sealed.toString('utf8')).not.toContain(SECRET);
    expect(stored.sealed.toString('base64')).not.toContain(SECRET);
    expect(stored.sealed.length).toBe(12 + Buffer.byteLength(SECRET) + 16);
    // Random IV: the same secret seals differently each time.
    expect(sealWebhookSecret(only1, 'SSP', SECRET).sealed.equals(stored.sealed)).toBe(false);
    expect(openWebhookSecret(only1, 'SSP', { sealed: stored.sealed, keyId: stored.keyId })).toBe(SECRET);
  });

  it('keeps a secret sealed by the old master key readable after the master key rotates', () => {
    const old = sealWebhookSecret(only1, 'SSP', SECRET);
    expect(openWebhookSecret(rotated, 'SSP', { sealed: old.sealed, keyId: old.keyId })).toBe(SECRET);
    expect(sealWebhookSecret(rotated, 'SSP', SECRET).keyId).toBe('k2');
  });

  it('refuses a missing master key naming its id only, another agency, and a changed ciphertext, never quoting the secret', () => {
    const stored = sealWebhookSecret(only1, 'SSP', SECRET);
    const attempt = (master: MasterKeys, code: string, sealed: Buffer, keyId = stored.keyId) => {
      try {
        openWebhookSecret(master, code, { sealed, keyId });
        return 'opened';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(attempt(only2, 'SSP', stored.sealed)).toBe(
      "webhook secret sealed by master key 'k1', which is not configured",
    );
    // Copied into another agency's row, it does not open.
    expect(attempt(only1, 'KOMMUNE', stored.sealed)).toBe('webhook secret of KOMMUNE failed authentication (Error)');
    const changed = Buffer.from(stored.sealed);
    changed[14] ^= 1;
    expect(attempt(only1, 'SSP', changed)).toBe('webhook secret of SSP failed authentication (Error)');
    // Under the right id but another key's ciphertext: authentication fails too.
    expect(attempt(rotated, 'SSP', stored.sealed, 'k2')).toMatch(/failed authentication/);
    for (const message of [attempt(only2, 'SSP', stored.sealed), attempt(only1, 'KOMMUNE', stored.sealed)])
      expect(message).not.toContain(SECRET);
  });

  it('reads none when nothing is stored', () => {
    expect(openWebhookSecret(only1, 'SSP', { sealed: null, keyId: null })).toBeNull();
  });

  it('is the same sealing as the person keys: sealWithMaster/openWithMaster with the binding as AAD', () => {
    const { masterKeyId, sealed } = sealWithMaster(rotated, Buffer.from(SECRET), 'webhook-secret:SSP');
    expect(masterKeyId).toBe('k2');
    expect(openWithMaster(only2, 'k2', sealed, 'webhook-secret:SSP').toString()).toBe(SECRET);
    expect(openWebhookSecret(only2, 'SSP', { sealed, keyId: masterKeyId })).toBe(SECRET);
    expect(() => openWithMaster(only2, 'k2', sealed, 'person-key:SSP')).toThrow();
  });
});
