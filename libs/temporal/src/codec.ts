// Encrypts every payload before it leaves the process (AES-256-GCM), so the Temporal server, its database and
// its UI never hold personal data in clear. The key id travels in the payload's metadata, so keys can rotate:
// new payloads use the active key, old ones are still read with the key they name.
//
// Per-person keys: with a keyring (PersonKeys in libs/persistence/src/person-keys.ts) a pathway's payloads are
// encrypted with its person's own data key, found from the workflow id the SDK passes as serialization context
// (`pathway-<id>`; an activity's context names the workflow that scheduled it). Such a payload names the key as
// `person:<key id>`, so decoding needs no context: it looks the key up by id, and a destroyed key (an erased person)
// makes the payload unreadable for good. Payloads with no pathway in their context (no context at all, another
// workflow) use the master key, never plaintext; payloads written before person keys keep decoding with it.
//
// Nothing else is read: a payload that is not encrypted by a known key (plaintext sent by a client without this codec,
// an unknown key id, a forged or truncated ciphertext) decodes to a REFUSED payload, whose encoding no payload
// converter knows, so converting it fails. Why not throw here: a decoding error fails the worker's whole workflow
// task, which the server retries for ever, so one forged Update would stall the pathway; a refused argument instead
// fails inside the workflow where an Update's input is read, and the SDK rejects that Update alone (the workflow
// runs on). A refused workflow input or activity result still stops the run, as a missing key should.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** What a payload this codec will not read decodes to; the reason rides along in its metadata. */
export const REFUSED_ENCODING = 'binary/refused';
export const REFUSAL_METADATA = 'refusal';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKeys {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** A person's data key and its id. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** Where person keys come from (PersonKeys in libs/persistence/src/person-keys.ts). */
export interface PersonKeyring {
  /** The pathway's key, made when it has none; throws when the person was erased. */
  ensure(pathwayId: string): Promise<DataKey>;
  /** A key by its id: destroyed, unknown (undefined), or the key. */
  byId(keyId: string): Promise<DataKey | 'DESTROYED' | undefined>;
}

export const PERSON_KEY_PREFIX = 'person:';
const PATHWAY_WORKFLOW_ID = /^pathway-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The pathway whose payloads these are, from the SDK's serialization context; undefined for anything else. */
export function pathwayOfContext(context: SerializationContext | undefined): string | undefined {
  const workflowId = context?.workflowId;
  return workflowId ? PATHWAY_WORKFLOW_ID.exec(workflowId)?.[1] : undefined;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly config: PayloadKeys,
    private readonly personKeys?: PersonKeyring,
  ) {
    if (!config.keys.has(config.activeKeyId))
      throw new Error(`active payload key '${config.activeKeyId}' is not configured`);
    for (const [id, key] of config.keys) {
      if (key.length !== 32) throw new Error(`payload key '${id}' must be 32 bytes, not ${key.length}`);
    }
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    let keyId = this.config.activeKeyId;
    let key = this.config.keys.get(keyId)!;
    const pathwayId = this.personKeys ? pathwayOfContext(context) : undefined;
    if (pathwayId !== undefined) {
      // Throws for an erased person: nothing about them may be written again.
      const personKey = await this.personKeys!.ensure(pathwayId);
      keyId = `${PERSON_KEY_PREFIX}${personKey.keyId}`;
      key = personKey.key;
    }
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

  // The context is not needed to decode: the payload names its key.
  async decode(payloads: Payload[]): Promise<Payload[]> {
    const out: Payload[] = [];
    for (const payload of payloads) {
      const found = await this.keyOf(payload);
      if (typeof found === 'string') {
        out.push(refused(found));
        continue;
      }
      try {
        out.push(this.decrypt(payload, found));
      } catch {
        // GCM's tag did not match: changed or forged. Says nothing about the content.
        out.push(refused('encrypted payload failed authentication'));
      }
    }
    return out;
  }

  /**
   * The key this payload was encrypted with, or why it will not be read. Says which key is missing, never anything
   * about the content. A keyring that cannot be reached throws (the caller retries); it is no refusal.
   */
  private async keyOf(payload: Payload): Promise<Buffer | string> {
    const encoding = payload.metadata?.encoding;
    if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return 'payload is not encrypted';
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
    if ((payload.data?.length ?? 0) < IV_BYTES + TAG_BYTES) return 'encrypted payload is truncated';
    if (keyId.startsWith(PERSON_KEY_PREFIX)) {
      const personKey = this.personKeys ? await this.personKeys.byId(keyId.slice(PERSON_KEY_PREFIX.length)) : undefined;
      if (personKey === 'DESTROYED') return 'payload encrypted with a destroyed person key (the person was erased)';
      if (!personKey) return `payload encrypted with unknown key id '${keyId.slice(0, 48)}'`;
      return personKey.key;
    }
    return this.config.keys.get(keyId) ?? `payload encrypted with unknown key id '${keyId.slice(0, 32)}'`;
  }

  private decrypt(payload: Payload, key: Buffer): Payload {
    const data = Buffer.from(payload.data!);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/** A payload no converter reads: converting it fails with "Unknown encoding: binary/refused". */
function refused(reason: string): Payload {
  return { metadata: { encoding: encoder.encode(REFUSED_ENCODING), [REFUSAL_METADATA]: encoder.encode(reason) } };
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
