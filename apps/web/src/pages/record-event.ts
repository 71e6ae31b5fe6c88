// What "Registrér hændelse" offers, and why the API refused. The API's 409 for an event that does not fit (libs/domain/src/events.ts eventRefusal and
// libs/domain/src/pathway/refusals.ts) says why in English for developers; the person recording it reads why in their
// own language. Each refusal the domain can give is known here by its wording; anything else gets a general reason.
import type { TFunction } from 'i18next';
import { STAGES, acceptedEvents, eventTypeRefusal, mayByRole, type EventType } from './vocabulary';

type Stage = (typeof STAGES)[number];
type Role = Parameters<typeof eventTypeRefusal>[1][number];

/** The events this person may record on a pathway in this stage. */
export function recordableEvents(stage: Stage, roles: readonly string[]): EventType[] {
  if (!mayByRole('pathway.record-event', roles)) return [];
  return acceptedEvents(stage).filter((type) => eventTypeRefusal(type, roles as Role[]) === undefined);
}

const KNOWN: [RegExp, string][] = [
  [/accepts no events$/, 'closed'],
  [/^there is no expected release date to change$/, 'noReleaseDate'],
  [/^there is no arrest or remand without a sentence/, 'noArrest'],
  [/^parole is decided on a sentence/, 'noSentence'],
  [/is for adults/, 'adultsOnly'],
];

/**
 * Why the event was refused, in the reader's language. `stage` is the pathway's stage as it stands now (it may have
 * moved on since the page was loaded), `accepted` the events that stage takes.
 */
export function eventRefusalText(
  message: string,
  event: string,
  stage: Stage,
  accepted: readonly string[],
  t: TFunction,
): string {
  const eventName = t(`event.${event}`, { defaultValue: event });
  // "<TYPE> does not fit stage <STAGE>; it accepts …": the stage named by the API is the one that refused.
  const misfit = /does not fit stage ([A-Z_]+)/.exec(message);
  if (misfit) {
    const refusedIn = (STAGES as readonly string[]).includes(misfit[1]) ? (misfit[1] as Stage) : stage;
    return t('recordEvent.refused.stage', {
      event: eventName,
      stage: t(`stage.${refusedIn}`),
      accepted: accepted.map((a) => t(`event.${a}`, { defaultValue: a })).join(', '),
    });
  }
  const known = KNOWN.find(([pattern]) => pattern.test(message));
  return t(`recordEvent.refused.${known ? known[1] : 'other'}`, { event: eventName, stage: t(`stage.${stage}`) });
}
