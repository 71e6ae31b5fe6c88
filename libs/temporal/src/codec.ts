// Encrypts every payload before it leaves the process (AES-256-GCM), so the Temporal server, its database and
// its UI never hold personal data in clear. The key id travels in the payload's metadata, so keys can rotate:
// new payloads use the active key, old ones are still read with the key they name.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKeys {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly config: PayloadKeys) {
    if (!config.keys.has(config.activeKeyId))
      throw new Error(`active payload key '${config.activeKeyId}' is not configured`);
    for (const [id, key] of config.keys) {
      if (key.length !== 32) throw new Error(`payload key '${id}' must be 32 bytes, not ${key.length}`);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.config.activeKeyId;
    const key = this.config.keys.get(keyId)!;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(keyId) },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
      const key = this.config.keys.get(keyId);
      // Says which key is missing, never anything about the content.
      if (!key) throw new Error(`payload encrypted with unknown key id '${keyId}'`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * Parses `PAYLOAD_KEYS` (`id:base64key[,id:base64key...]`) and the active key id. Errors name the key id and the
 * problem, never the key.
 */
export function parsePayloadKeys(keysText: string | undefined, activeKeyId: string | undefined): PayloadKeys {
  if (!keysText) throw new Error('PAYLOAD_KEYS is required: id:base64-32-byte-key[,id:key...]');
  const keys = new Map<string, Buffer>();
  for (const part of keysText
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const sep = part.indexOf(':');
    const id = sep > 0 ? part.slice(0, sep) : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
      throw new Error('PAYLOAD_KEYS: every entry must be id:base64key with a short id');
    const key = Buffer.from(part.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new Error(`PAYLOAD_KEYS: key '${id}' must decode to 32 bytes`);
    keys.set(id, key);
  }
  const active = activeKeyId ?? [...keys.keys()][0];
  // The value is not repeated: a key pasted into the wrong variable must not reach a log.
  if (!active || !keys.has(active)) throw new Error('PAYLOAD_ACTIVE_KEY_ID does not name a key in PAYLOAD_KEYS');
  return { activeKeyId: active, keys };
}

export function generatePayloadKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
