// Custom search attributes: only stage, track, district, agency codes and flags — never personal data.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const pathwayStageKey = defineSearchAttributeKey('PathwayStage', SearchAttributeType.KEYWORD);
export const pathwayTrackKey = defineSearchAttributeKey('PathwayTrack', SearchAttributeType.KEYWORD);
export const pathwayDistrictKey = defineSearchAttributeKey('PathwayDistrict', SearchAttributeType.KEYWORD);
export const pathwayAgenciesKey = defineSearchAttributeKey('PathwayAgencies', SearchAttributeType.KEYWORD_LIST);
export const pathwayOverdueKey = defineSearchAttributeKey('PathwayOverdue', SearchAttributeType.BOOL);
export const pathwayStalledKey = defineSearchAttributeKey('PathwayStalled', SearchAttributeType.BOOL);

export const PATHWAY_SEARCH_ATTRIBUTES = [
  pathwayStageKey,
  pathwayTrackKey,
  pathwayDistrictKey,
  pathwayAgenciesKey,
  pathwayOverdueKey,
  pathwayStalledKey,
] as const;

/** `Name=Type` pairs as the Temporal CLI's `--search-attribute` flag takes them. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', BOOL: 'Bool' };
  return PATHWAY_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
