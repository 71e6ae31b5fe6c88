// Text PostgreSQL cannot store: the NUL character (in text or jsonb), and a lone UTF-16 surrogate (JSON may carry
// "\ud800"; it has no UTF-8 form). A text carrying either would be accepted by the workflow and then refused by
// every retry of the read-model write: it must be refused where it comes in.

export const UNSTORABLE_REASON = 'must not contain the NUL character (\\u0000) or a lone surrogate (\\ud800-\\udfff)';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasUnstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** Where in a JSON value the first unstorable text sits (a string or a key), as `a.b[2].c`; undefined if none. */
export function findUnstorable(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return hasUnstorable(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      // The key as it can be shown: its unstorable characters written as escapes.
      const shown = hasUnstorable(key) ? JSON.stringify(key).slice(1, -1) : key;
      const at = path ? `${path}.${shown}` : shown;
      if (hasUnstorable(key)) return at;
      const found = findUnstorable(child, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
