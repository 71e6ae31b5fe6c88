// The stages a pathway has been through, from its timeline: the timeline picture's bands (TimelineChart, loaded
// lazily with ECharts) and the stage tracker on Et forløb (PathwayPage, in the app's first chunk) both read them.
import type { components } from '../api/schema';

type Pathway = components['schemas']['PathwayView'];

export interface StageSpan {
  stage: string;
  from: string;
  to?: string;
}

/**
 * The stages the pathway has been through, from its STAGE_CHANGED entries and its closings (PATHWAY_CLOSED, which
 * records no stage change of its own); the last one is still going on. Every pathway opens in CONTACT.
 */
export function stageSpans(pathway: Pathway): StageSpan[] {
  const changes = (pathway.timeline ?? [])
    .filter((e) => (e.kind === 'STAGE_CHANGED' && e.detail.to) || e.kind === 'PATHWAY_CLOSED')
    .sort((a, b) => a.sequence - b.sequence)
    .map((e) => ({
      at: e.at,
      from: e.detail.from as string | undefined,
      to: e.kind === 'PATHWAY_CLOSED' ? 'CLOSED' : e.detail.to,
    }));
  const opening = changes.length === 0 ? pathway.stage : (changes[0].from ?? 'CONTACT');
  const spans: StageSpan[] = [{ stage: opening, from: pathway.openedAt }];
  for (const change of changes) {
    spans[spans.length - 1].to = change.at;
    spans.push({ stage: change.to, from: change.at });
  }
  return spans;
}
