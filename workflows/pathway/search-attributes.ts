// The typed search-attribute keys the pathway upserts and clients filter on, built from the plain list in
// libs/domain/src/search-attributes.ts (names and types are registered from there).
import { defineSearchAttributeKey } from '@temporalio/common';

export const pathwayStageKey = defineSearchAttributeKey('PathwayStage', 'KEYWORD');
export const pathwayTrackKey = defineSearchAttributeKey('PathwayTrack', 'KEYWORD');
export const pathwayDistrictKey = defineSearchAttributeKey('PathwayDistrict', 'KEYWORD');
export const pathwayAgenciesKey = defineSearchAttributeKey('PathwayAgencies', 'KEYWORD_LIST');
export const pathwayOverdueKey = defineSearchAttributeKey('PathwayOverdue', 'BOOL');
export const pathwayStalledKey = defineSearchAttributeKey('PathwayStalled', 'BOOL');
