// Whom a queue row names: the person for a partner agency's own people (each name audited), never for an external
// partner. The repositories are in-memory stand-ins; the real round trip is in test/integration/temporal/queue-api.ts.
import 'reflect-metadata';
import type { Actor } from '../../libs/domain/src';
import { AgenciesService } from '../../apps/api/src/agencies/agencies.service';
import { AuditTrail } from '../../apps/api/src/core/audit-trail';

const PATHWAY = '11111111-1111-4111-8111-111111111111';
const row = { id: '22222222-2222-4222-8222-222222222222', pathwayId: PATHWAY, title: 'Mentorbesøg' };

function service() {
  const audited: unknown[] = [];
  const read = {
    findAgency: async (code: string) => ({ code, active: true }),
    personNames: async (ids: string[]) => new Map(ids.map((id) => [id, 'Synlig Testperson'])),
    // A 19-year-old in custody: the KSP cooperation's basis.
    legalFactsOf: async (ids: string[]) =>
      new Map(ids.map((id) => [id, { consent: false, stage: 'CUSTODY', birthDate: '2007-01-01' }])),
  };
  const queue = { page: async () => ({ items: [row], nextCursor: null }) };
  // The list itself is audited too (LIST_QUEUE, without names); here only the names are of interest.
  const repository = {
    record: async () => undefined,
    recordEach: async (entry: unknown, ids: string[]) => audited.push({ entry, ids }),
  };
  const audit = new AuditTrail(repository as never, read as never);
  const assignees = { tasks: async (_actor: Actor, items: unknown[]) => items };
  const agencies = new AgenciesService(
    read as never,
    queue as never,
    {} as never,
    audit as never,
    {} as never,
    assignees as never,
    {} as never,
    {} as never,
  );
  return { agencies, audited };
}

const actor = (agency: string, agencyKind: Actor['agencyKind']): Actor => ({
  userId: `${agency.toLowerCase()}-1`,
  displayName: 'Sagsbehandler',
  agency,
  agencyKind,
  roles: ['CASEWORKER'],
});

describe('the person on a queue row', () => {
  it('is named to a partner agency’s caseworker, and the name shown is audited', async () => {
    const { agencies, audited } = service();
    const page = await agencies.tasks('SSP', {}, actor('SSP', 'PARTNER'));
    expect(page.items.map((t: any) => t.personName)).toEqual(['Synlig Testperson']);
    expect(audited).toEqual([
      {
        entry: expect.objectContaining({
          actor: 'SSP',
          actorUserId: 'ssp-1',
          action: 'READ_QUEUE_PERSON',
          purpose: 'PREVENTION',
          legalBasis: expect.objectContaining({ code: 'KSP' }),
        }),
        ids: [PATHWAY],
      },
    ]);
  });

  it('is never named to an external partner, and nothing is audited', async () => {
    const { agencies, audited } = service();
    const page = await agencies.tasks('MENTORKORPS', {}, actor('MENTORKORPS', 'EXTERNAL'));
    expect(page.items).toEqual([row]);
    expect(JSON.stringify(page)).not.toContain('Synlig');
    expect(audited).toEqual([]);
  });
});
