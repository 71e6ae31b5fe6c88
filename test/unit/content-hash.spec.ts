// The content hash a pathway pins its playbook with (libs/domain/src/content-hash.ts): the workflow computes it
// without Node's crypto, so it must equal Node's SHA-256 of the same canonical text, and the canonical text must not
// depend on key order (PostgreSQL's jsonb reorders keys).
import { createHash } from 'node:crypto';
import { canonicalJson, contentHash } from '../../libs/domain/src';
import playbookV1 from '../../libs/domain/playbooks/v1.json';
import playbookV3 from '../../libs/domain/playbooks/v3.json';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('contentHash', () => {
  it.each([
    ['empty string', ''],
    ['a Danish word', 'Løsladelse på prøve — æøå ÆØÅ'],
    ['astral characters', '🙂 𝄞'],
    ['55 bytes (one block with the length)', 'x'.repeat(55)],
    ['56 bytes (padding spills into a second block)', 'x'.repeat(56)],
    ['64 bytes', 'y'.repeat(64)],
    ['1000 bytes', 'z'.repeat(1000)],
  ])('is SHA-256 of the canonical JSON: %s', (_, text) => {
    expect(contentHash(text)).toBe(nodeSha256(JSON.stringify(text)));
  });

  it('hashes a whole playbook as Node does', () => {
    expect(contentHash(playbookV3)).toBe(nodeSha256(canonicalJson(playbookV3)));
    expect(contentHash(playbookV3)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order or whitespace, and does on content', () => {
    const reordered = JSON.parse(JSON.stringify(playbookV3, Object.keys(playbookV3).reverse()));
    // A deep reorder, as jsonb may store it.
    const deep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(deep)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, deep(x)]),
            )
          : v;
    expect(contentHash(deep(playbookV3))).toBe(contentHash(playbookV3));
    expect(Object.keys(reordered)).not.toEqual(Object.keys(playbookV3));
    expect(contentHash({ ...playbookV3, name: `${playbookV3.name} ` })).not.toBe(contentHash(playbookV3));
    expect(contentHash(playbookV1)).not.toBe(contentHash(playbookV3));
  });

  it('writes canonical JSON with sorted keys and without undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }], e: undefined })).toBe(
      '{"a":[true,null,{"d":"x"}],"b":1}',
    );
  });
});
