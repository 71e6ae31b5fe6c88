// Custom search attributes: stage, district and flags — never personal data, nor anything that singles out
// investigation. PathwayTrack and PathwayAgencies stay registered for runs from before the patch
// search-attributes-without-track (PATHWAY_PATCHES in pathway/machine.ts), which still set them; new runs clear them.
// Plain names and types, for the dev stack and the tests that register them; the typed keys the workflow upserts are
// built from this list in workflows/pathway/search-attributes.ts.
export const PATHWAY_SEARCH_ATTRIBUTES = [
  { name: 'PathwayStage', type: 'KEYWORD' },
  { name: 'PathwayTrack', type: 'KEYWORD' },
  { name: 'PathwayDistrict', type: 'KEYWORD' },
  { name: 'PathwayAgencies', type: 'KEYWORD_LIST' },
  { name: 'PathwayOverdue', type: 'BOOL' },
  { name: 'PathwayStalled', type: 'BOOL' },
] as const;

export type PathwaySearchAttributeName = (typeof PATHWAY_SEARCH_ATTRIBUTES)[number]['name'];

/** `Name=Type` pairs as the Temporal CLI's `--search-attribute` flag takes them. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', BOOL: 'Bool' };
  return PATHWAY_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
