// Finding a person (issue 10, item 7): by name words and/or birth date through the blind index
// (libs/persistence/src/person-search.ts), never by the names themselves. One audit row per search says what was
// searched by (not the words) and which pathways it showed.
import { Injectable } from '@nestjs/common';
import { normaliseName, personSearchRefusal, type Actor } from '../../../../libs/domain/src';
import { PersonSearchRepository, type PersonHit } from '../../../../libs/persistence/src';
import { AuditTrail } from '../core/audit-trail';
import { badRequest } from '../core/validation';
import type { PersonResultView, PersonSearchQueryDto, PersonSearchView } from './person.dto';

/** Pathways one search shows at most. */
export const PERSON_SEARCH_LIMIT = 50;

/** Records with the same folded name and birth date are one person; ordered by their oldest pathway. */
export function groupHits(hits: readonly PersonHit[]): PersonResultView[] {
  const people = new Map<string, PersonResultView>();
  for (const hit of hits) {
    const key = `${normaliseName(hit.name)}|${hit.birthDate}`;
    const person = people.get(key) ?? {
      personId: hit.pathwayId,
      name: hit.name,
      birthDate: hit.birthDate,
      pathways: [],
    };
    person.pathways.push({
      id: hit.pathwayId,
      stage: hit.stage,
      status: hit.closedAt ? 'CLOSED' : 'OPEN',
      openedAt: hit.openedAt.toISOString(),
    });
    people.set(key, person);
  }
  return [...people.values()];
}

@Injectable()
export class PersonsService {
  constructor(
    private readonly search: PersonSearchRepository,
    private readonly trail: AuditTrail,
  ) {}

  async find(query: PersonSearchQueryDto, actor: Actor): Promise<PersonSearchView> {
    const refused = personSearchRefusal(query);
    if (refused.length > 0) throw badRequest(refused);
    const hits = await this.search.search(query, PERSON_SEARCH_LIMIT);
    const shown = hits.slice(0, PERSON_SEARCH_LIMIT);
    await this.trail.list(actor, 'SEARCH_PERSONS', {
      detail: {
        by: [query.name !== undefined ? 'name' : '', query.birthDate !== undefined ? 'birthDate' : '']
          .filter(Boolean)
          .join('+'),
        ...(shown.length > 0 ? { pathways: shown.map((h) => h.pathwayId).join(',') } : {}),
      },
      itemCount: shown.length,
    });
    return { items: groupHits(shown), truncated: hits.length > PERSON_SEARCH_LIMIT };
  }
}
