// PostgreSQL cannot store the NUL character in text or jsonb. A text that carries one would be accepted by the
// workflow and then refused by every retry of the read-model write: it must be refused where it comes in.

export const NUL_REASON = 'must not contain the NUL character (\\u0000)';

export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** Where in a JSON value the first NUL character sits (a string or a key), as `a.b[2].c`; undefined if none. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return hasNul(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const shown = key.split('\u0000').join('\\u0000');
      const at = path ? `${path}.${shown}` : shown;
      if (hasNul(key)) return at;
      const found = findNul(child, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
