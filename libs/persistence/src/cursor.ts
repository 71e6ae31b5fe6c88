// Keyset cursors: the sort key of a page's last row, tagged with the list it belongs to, as base64url JSON. A
// cursor from one list handed to another, or a forged one, decodes to nothing.

export function encodeCursor(tag: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

/** The key parts, when `text` is a cursor of this list with `length` parts; each list checks their types. */
export function decodeCursor(text: string, tag: string, length: number): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== length + 1 || value[0] !== tag) return undefined;
    return value.slice(1);
  } catch {
    return undefined;
  }
}
