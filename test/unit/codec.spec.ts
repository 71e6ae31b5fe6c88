import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  REFUSAL_METADATA,
  generatePayloadKey,
  parsePayloadKeys,
} from '../../libs/temporal/src/codec';

const KEY_A = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const KEY_B = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i));
const KEY_A_B64 = KEY_A.toString('base64');
const KEY_B_B64 = KEY_B.toString('base64');

const NAME = 'Mads Nørgaard Jørgensen';
const CPR = '261108-1234';
const person = { name: NAME, cpr: CPR, birthDate: '2008-11-26', district: 'INDRE_NORREBRO' };

const codec = (activeKeyId: string, keys: Record<string, Buffer>): AesGcmPayloadCodec =>
  new AesGcmPayloadCodec({ activeKeyId, keys: new Map(Object.entries(keys)) });
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const contains = (bytes: Uint8Array | null | undefined, needle: string): boolean =>
  Buffer.from(bytes ?? []).includes(Buffer.from(needle, 'utf8'));
const allBytes = (payload: Payload): Buffer =>
  Buffer.concat([
    Buffer.from(payload.data ?? []),
    ...Object.entries(payload.metadata ?? {}).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v ?? [])]),
  ]);

/**
 * What a reader of the payload gets: the value, or the converter's error for a payload the codec refused (with the
 * codec's reason, which the refused payload carries).
 */
async function readBack(c: AesGcmPayloadCodec, payload: Payload): Promise<unknown> {
  const [decoded] = await c.decode([payload]);
  try {
    return defaultPayloadConverter.fromPayload(decoded);
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${text(decoded.metadata?.[REFUSAL_METADATA])}`);
  }
}

describe('AesGcmPayloadCodec', () => {
  it.each([
    ['an object with personal data', person],
    ['a string', NAME],
    ['a number', 42],
    ['null', null],
    ['an empty array', []],
    ['undefined', undefined],
    ['bytes', new Uint8Array([0, 1, 2, 254, 255])],
  ])('round-trips %s', async (_label, value) => {
    const c = codec('a', { a: KEY_A });
    const original = defaultPayloadConverter.toPayload(value);
    const [encoded] = await c.encode([original]);
    const [decoded] = await c.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(value);
    expect(text(decoded.metadata?.encoding)).toBe(text(original.metadata?.encoding));
    expect(Buffer.from(decoded.data ?? []).equals(Buffer.from(original.data ?? []))).toBe(true);
  });

  it('round-trips several payloads in order', async () => {
    const c = codec('a', { a: KEY_A });
    const values = ['first', { second: 2 }, [3]];
    const encoded = await c.encode(values.map((v) => defaultPayloadConverter.toPayload(v)));
    expect(encoded).toHaveLength(3);
    const decoded = await c.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(values);
  });

  it('leaves no personal data in the encoded payload, data or metadata', async () => {
    const original = defaultPayloadConverter.toPayload(person);
    // The plain payload does contain the name, so the check below can fail.
    expect(contains(original.data, NAME)).toBe(true);
    const [encoded] = await codec('a', { a: KEY_A }).encode([original]);
    const bytes = allBytes(encoded);
    expect(bytes.includes(Buffer.from(NAME))).toBe(false);
    expect(bytes.includes(Buffer.from('Mads'))).toBe(false);
    expect(bytes.includes(Buffer.from(CPR))).toBe(false);
    expect(bytes.includes(Buffer.from('2008-11-26'))).toBe(false);
    expect(bytes.includes(Buffer.from('json/plain'))).toBe(false);
  });

  it('uses a fresh IV per payload, so equal values encrypt differently', async () => {
    const c = codec('a', { a: KEY_A });
    const [x, y] = await c.encode([defaultPayloadConverter.toPayload(NAME), defaultPayloadConverter.toPayload(NAME)]);
    expect(Buffer.from(x.data!).equals(Buffer.from(y.data!))).toBe(false);
  });

  it('marks encoded payloads binary/encrypted and names the key id, nothing else', async () => {
    const [encoded] = await codec('key-2026', { old: KEY_B, 'key-2026': KEY_A }).encode([
      defaultPayloadConverter.toPayload(person),
    ]);
    expect(ENCRYPTED_ENCODING).toBe('binary/encrypted');
    expect(KEY_ID_METADATA).toBe('encryption-key-id');
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    expect(text(encoded.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(encoded.metadata?.['encryption-key-id'])).toBe('key-2026');
  });

  it('rotates keys: payloads written with key A are read by a codec whose active key is B', async () => {
    const [withA] = await codec('a', { a: KEY_A }).encode([defaultPayloadConverter.toPayload(person)]);
    const rotated = codec('b', { a: KEY_A, b: KEY_B });
    const [decoded] = await rotated.decode([withA]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(person);

    const [withB] = await rotated.encode([defaultPayloadConverter.toPayload(person)]);
    expect(text(withB.metadata?.['encryption-key-id'])).toBe('b');
    // Only key B can read it: a codec that knows A alone does not.
    await expect(readBack(codec('a', { a: KEY_A }), withB)).rejects.toThrow(
      "payload encrypted with unknown key id 'b'",
    );
  });

  it('refuses an unknown key id without revealing the payload', async () => {
    const [encoded] = await codec('a', { a: KEY_A }).encode([defaultPayloadConverter.toPayload(person)]);
    const error: Error = await readBack(codec('b', { b: KEY_B }), encoded).then(
      () => {
        throw new Error('decode should have failed');
      },
      (e: Error) => e,
    );
    expect(error.message).toBe("Unknown encoding: binary/refused: payload encrypted with unknown key id 'a'");
    expect(error.message).not.toContain(NAME);
    expect(error.message).not.toContain(CPR);
    expect(error.message).not.toContain(KEY_A_B64);
  });

  it('refuses an encrypted payload that names no key id', async () => {
    const c = codec('a', { a: KEY_A });
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)]);
    const { [KEY_ID_METADATA]: _dropped, ...metadata } = encoded.metadata!;
    await expect(readBack(c, { ...encoded, metadata })).rejects.toThrow("payload encrypted with unknown key id ''");
  });

  it.each([
    ['the IV', (_data: Buffer) => 0],
    ['the ciphertext', (data: Buffer) => Math.floor(data.length / 2)],
    ['the auth tag', (data: Buffer) => data.length - 1],
  ])('rejects a payload with a flipped bit in %s', async (_label, position) => {
    const c = codec('a', { a: KEY_A });
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)]);
    const data = Buffer.from(encoded.data!);
    data[position(data)] ^= 0x01;
    const tampered = { ...encoded, data };
    await expect(readBack(c, tampered)).rejects.toThrow('encrypted payload failed authentication');
    await expect(readBack(c, tampered)).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(NAME) }),
    );
    // Decoding itself does not throw: a throw would fail the worker's whole workflow task (libs/temporal/src/codec.ts).
    const [refused] = await c.decode([tampered]);
    expect(allBytes(refused).includes(Buffer.from(NAME))).toBe(false);
    // The untouched payload still decodes, so the failure is due to the tampering.
    const [decoded] = await c.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(person);
  });

  it('rejects a payload relabelled with another configured key id', async () => {
    const c = codec('a', { a: KEY_A, b: KEY_B });
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)]);
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(readBack(c, relabelled)).rejects.toThrow('encrypted payload failed authentication');
  });

  it('rejects a truncated payload', async () => {
    const c = codec('a', { a: KEY_A });
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)]);
    await expect(readBack(c, { ...encoded, data: encoded.data!.subarray(0, 27) })).rejects.toThrow(
      'encrypted payload is truncated',
    );
  });

  it('refuses plain (unencrypted) payloads: a client without the codec cannot slip one in', async () => {
    const c = codec('a', { a: KEY_A });
    const plain = defaultPayloadConverter.toPayload(person);
    const bare: Payload = { data: Buffer.from('raw') };
    await expect(readBack(c, plain)).rejects.toThrow('Unknown encoding: binary/refused: payload is not encrypted');
    await expect(readBack(c, bare)).rejects.toThrow('payload is not encrypted');
    // The refused payload keeps nothing of what was sent.
    const [refused] = await c.decode([plain]);
    expect(allBytes(refused).includes(Buffer.from(NAME))).toBe(false);
  });

  it('refuses a configuration whose active key is missing or whose keys are not 32 bytes', () => {
    expect(() => codec('b', { a: KEY_A })).toThrow("active payload key 'b' is not configured");
    expect(() => codec('a', { a: KEY_A.subarray(0, 16) })).toThrow("payload key 'a' must be 32 bytes, not 16");
  });
});

describe('parsePayloadKeys', () => {
  it('parses id:base64 entries and defaults the active key to the first', () => {
    const parsed = parsePayloadKeys(` a:${KEY_A_B64} , b:${KEY_B_B64},`, undefined);
    expect(parsed.activeKeyId).toBe('a');
    expect([...parsed.keys.keys()]).toEqual(['a', 'b']);
    expect(parsed.keys.get('a')!.equals(KEY_A)).toBe(true);
    expect(parsed.keys.get('b')!.equals(KEY_B)).toBe(true);
    expect(parsePayloadKeys(`a:${KEY_A_B64},b:${KEY_B_B64}`, 'b').activeKeyId).toBe('b');
  });

  it('parses what generatePayloadKey produces', () => {
    const parsed = parsePayloadKeys(generatePayloadKey('k1'), undefined);
    expect(parsed.activeKeyId).toBe('k1');
    expect(parsed.keys.get('k1')).toHaveLength(32);
  });

  it.each([undefined, ''])('requires PAYLOAD_KEYS (%p)', (keys) => {
    expect(() => parsePayloadKeys(keys, 'a')).toThrow('PAYLOAD_KEYS is required');
  });

  const failure = (keys: string | undefined, active: string | undefined): Error => {
    try {
      parsePayloadKeys(keys, active);
    } catch (e) {
      return e as Error;
    }
    throw new Error('parsePayloadKeys should have failed');
  };

  const SHORT_B64 = Buffer.alloc(16, 0x5a).toString('base64');
  const LONG_B64 = Buffer.alloc(33, 0x5a).toString('base64');

  it.each([
    ['a 16-byte key', `a:${KEY_A_B64},b:${SHORT_B64}`, "PAYLOAD_KEYS: key 'b' must decode to 32 bytes", SHORT_B64],
    ['a 33-byte key', `b:${LONG_B64}`, "PAYLOAD_KEYS: key 'b' must decode to 32 bytes", LONG_B64],
    ['an empty key', 'b:', "PAYLOAD_KEYS: key 'b' must decode to 32 bytes", KEY_A_B64],
    ['an entry without an id', KEY_B_B64, 'PAYLOAD_KEYS: every entry must be id:base64key with a short id', KEY_B_B64],
    [
      'an entry with an empty id',
      `:${KEY_B_B64}`,
      'PAYLOAD_KEYS: every entry must be id:base64key with a short id',
      KEY_B_B64,
    ],
    [
      'an id with spaces',
      `my key:${KEY_B_B64}`,
      'PAYLOAD_KEYS: every entry must be id:base64key with a short id',
      KEY_B_B64,
    ],
  ])('rejects %s without showing the key', (_label, keys, message, secret) => {
    const error = failure(keys, undefined);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(KEY_A_B64);
    expect(error.message).not.toContain(KEY_B_B64);
  });

  it('rejects an active key id that is not among the keys, without showing the keys', () => {
    const error = failure(`a:${KEY_A_B64},b:${KEY_B_B64}`, 'c');
    expect(error.message).toBe('PAYLOAD_ACTIVE_KEY_ID does not name a key in PAYLOAD_KEYS');
    expect(error.message).not.toContain(KEY_A_B64);
    expect(error.message).not.toContain(KEY_B_B64);
    expect(error.message).not.toContain(KEY_A.toString('hex'));
  });

  it('rejects a list with no entries at all', () => {
    expect(failure(' , ,', undefined).message).toBe('PAYLOAD_ACTIVE_KEY_ID does not name a key in PAYLOAD_KEYS');
  });
});

describe('AesGcmPayloadCodec with per-person keys', () => {
  const PATHWAY = '6f1c2a4e-8b3d-4c5e-9f60-718293a4b5c6';
  const OTHER = '0a1b2c3d-4e5f-4061-8728-394a5b6c7d8e';
  /** A keyring in memory, the shape PersonKeys (libs/persistence/src/person-keys.ts) has on PostgreSQL. */
  function keyring() {
    const keys = new Map<string, { keyId: string; key: Buffer } | 'DESTROYED'>();
    const byPathway = new Map<string, string>();
    let next = 0;
    return {
      async ensure(pathwayId: string) {
        let id = byPathway.get(pathwayId);
        if (!id) {
          id = `00000000-0000-4000-8000-00000000000${next++}`;
          byPathway.set(pathwayId, id);
          keys.set(id, { keyId: id, key: Buffer.alloc(32, next) });
        }
        const key = keys.get(id)!;
        if (key === 'DESTROYED') throw new Error('the person of this pathway was erased');
        return key;
      },
      async byId(keyId: string) {
        return keys.get(keyId);
      },
      destroy(pathwayId: string) {
        keys.set(byPathway.get(pathwayId)!, 'DESTROYED');
      },
    };
  }
  const master = { activeKeyId: 'a', keys: new Map([['a', KEY_A]]) };
  const context = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'ns', workflowId });
  const keyIdOf = (p: Payload) => text(p.metadata?.[KEY_ID_METADATA]);

  it("encrypts a pathway's payloads with its person's key, and reads them back without any context", async () => {
    const ring = keyring();
    const c = new AesGcmPayloadCodec(master, ring);
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)], context(`pathway-${PATHWAY}`));
    expect(keyIdOf(encoded)).toBe(`person:${(await ring.ensure(PATHWAY)).keyId}`);
    expect(contains(allBytes(encoded), NAME)).toBe(false);
    await expect(readBack(c, encoded)).resolves.toEqual(person);
    // The master key alone cannot read it.
    await expect(readBack(new AesGcmPayloadCodec(master), encoded)).rejects.toThrow(/unknown key id 'person:/);
  });

  it('uses each pathway its own key, and an activity context names the workflow that scheduled it', async () => {
    const ring = keyring();
    const c = new AesGcmPayloadCodec(master, ring);
    const [one] = await c.encode([defaultPayloadConverter.toPayload(1)], context(`pathway-${PATHWAY}`));
    const [two] = await c.encode([defaultPayloadConverter.toPayload(2)], context(`pathway-${OTHER}`));
    const [activity] = await c.encode([defaultPayloadConverter.toPayload(3)], {
      type: 'activity',
      namespace: 'ns',
      workflowId: `pathway-${OTHER}`,
      isLocal: false,
    });
    expect(keyIdOf(one)).not.toBe(keyIdOf(two));
    expect(keyIdOf(activity)).toBe(keyIdOf(two));
  });

  it('falls back to the master key, never plaintext, without a pathway in the context', async () => {
    const c = new AesGcmPayloadCodec(master, keyring());
    const [none] = await c.encode([defaultPayloadConverter.toPayload(person)]);
    const [other] = await c.encode([defaultPayloadConverter.toPayload(person)], context('retention-daily'));
    for (const p of [none, other]) {
      expect(keyIdOf(p)).toBe('a');
      expect(text(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      await expect(readBack(c, p)).resolves.toEqual(person);
    }
  });

  it('after the key is destroyed: old payloads are unreadable and nothing new is written for the person', async () => {
    const ring = keyring();
    const c = new AesGcmPayloadCodec(master, ring);
    const [encoded] = await c.encode([defaultPayloadConverter.toPayload(person)], context(`pathway-${PATHWAY}`));
    ring.destroy(PATHWAY);
    await expect(readBack(c, encoded)).rejects.toThrow(/destroyed person key/);
    await expect(c.encode([defaultPayloadConverter.toPayload(1)], context(`pathway-${PATHWAY}`))).rejects.toThrow(
      /erased/,
    );
    // Payloads written before person keys (the master key's) still read.
    const [old] = await new AesGcmPayloadCodec(master).encode([defaultPayloadConverter.toPayload(person)]);
    await expect(readBack(c, old)).resolves.toEqual(person);
  });
});
