// Closing a pathway (issue 9) on the machine with a fake clock: four eyes (a coordinator's CLOSED waits for a second,
// different coordinator) and reopening within REOPEN_WITHIN_DAYS of closing. Both are behind patch ids; the "before
// patch" cases are how histories from before them replay.
import {
  PATHWAY_PATCHES,
  REOPEN_WITHIN_DAYS,
  decideClosureRefusal,
  recordEventRefusal,
  reopenRefusal,
} from '../../libs/domain/src';
import { Refused, TestPathway } from '../support/machine';

const DAY = 86_400_000;

/** A v1 pathway of a 21-year-old at the joint assessment: one open task, the operative group's. */
function atAssessment(unpatched: string[] = []): TestPathway {
  const p = new TestPathway({ age: 21, unpatched });
  p.complete('eas-registration');
  expect(p.status().stage).toBe('ASSESSMENT');
  return p;
}

const refusalOf = (command: () => unknown) => {
  try {
    command();
  } catch (err) {
    if (err instanceof Refused) return err.refusal;
    throw err;
  }
  throw new Error('the command was not refused');
};

describe('four eyes: CLOSED waits for a second coordinator', () => {
  it('a coordinator’s CLOSED is a pending closure: the pathway runs on, its work stays open', () => {
    const p = atAssessment();
    const status = p.event({ type: 'CLOSED', outcome: 'DEREGISTERED' }, 'POLICE_EAS', 'koordinator');
    expect(status.stage).toBe('ASSESSMENT');
    expect(status.pendingClosure).toEqual({
      outcome: 'DEREGISTERED',
      requestedAt: p.now.toISOString(),
      requestedBy: 'POLICE_EAS',
      requestedByUser: 'koordinator',
    });
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
    expect(p.timeline().at(-1)).toMatchObject({ kind: 'CLOSURE_REQUESTED', detail: { outcome: 'DEREGISTERED' } });
    expect(p.batches.at(-1)).not.toHaveProperty('closingOutcome');
    // Other events still apply while it waits.
    expect(p.event({ type: 'MOVED', district: 'TINGBJERG' }).district).toBe('TINGBJERG');
  });

  it('the coordinator who asked cannot confirm it (403 reason); a second coordinator can, and it closes', () => {
    const p = atAssessment();
    p.event({ type: 'CLOSED', outcome: 'COMPLETED' }, 'POLICE_EAS', 'koordinator');
    expect(refusalOf(() => p.decideClosure('CONFIRM', 'koordinator'))).toEqual({
      type: 'NotAllowed',
      message: 'you asked for this closure: a second, different coordinator must confirm it (four eyes)',
    });
    expect(p.status().stage).toBe('ASSESSMENT');
    const status = p.decideClosure('CONFIRM', 'koordinator2');
    expect(status.stage).toBe('CLOSED');
    expect(status.pendingClosure).toBeUndefined();
    expect(p.latest('joint-assessment').status).toBe('CANCELLED');
    expect(p.timeline().map((e) => e.kind)).toEqual(
      expect.arrayContaining(['CLOSURE_REQUESTED', 'CLOSURE_CONFIRMED', 'TASK_CANCELLED', 'PATHWAY_CLOSED']),
    );
    expect(p.batches.at(-1)).toMatchObject({ stage: 'CLOSED', closingOutcome: 'COMPLETED' });
  });

  it('a second CLOSED while one waits → refused with why; a caseworker cannot decide', () => {
    const p = atAssessment();
    p.event({ type: 'CLOSED', outcome: 'COMPLETED' });
    expect(refusalOf(() => p.event({ type: 'CLOSED', outcome: 'DECEASED' }, 'EKI', 'koordinator2'))).toEqual({
      type: 'EventRefused',
      message: 'a closure (COMPLETED) already waits for a second coordinator to confirm or reject it',
    });
    const caseworker = {
      decision: 'CONFIRM' as const,
      requestedBy: 'SSP',
      requestedByUser: 'ssp',
      requestedByRoles: ['CASEWORKER' as const],
    };
    expect(p.machine.refuseDecideClosure(caseworker)).toEqual({
      type: 'NotAllowed',
      message: 'only the coordinators may do this',
    });
  });

  it('REJECT needs a reason and drops the closure: the pathway runs on and can be closed again', () => {
    const p = atAssessment();
    p.event({ type: 'CLOSED', outcome: 'OTHER' });
    expect(refusalOf(() => p.decideClosure('REJECT', 'koordinator2', ' '))).toMatchObject({
      type: 'InvalidInput',
      field: 'reason',
    });
    const status = p.decideClosure('REJECT', 'koordinator2', 'Forløbet er ikke slut');
    expect([status.stage, status.pendingClosure]).toEqual(['ASSESSMENT', undefined]);
    expect(p.timeline().at(-1)).toMatchObject({
      kind: 'CLOSURE_REJECTED',
      detail: { outcome: 'OTHER', reason: 'Forløbet er ikke slut' },
    });
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
    expect(p.close('COMPLETED').stage).toBe('CLOSED');
  });

  it('confirming when nothing waits → refused with why', () => {
    const p = atAssessment();
    expect(refusalOf(() => p.decideClosure('CONFIRM'))).toEqual({
      type: 'EventRefused',
      message: 'no closure waits for confirmation: a coordinator records CLOSED first',
    });
  });

  it(`before patch ${PATHWAY_PATCHES.closureFourEyes}, CLOSED closed at once (replayed histories)`, () => {
    const p = atAssessment([PATHWAY_PATCHES.closureFourEyes]);
    const status = p.event({ type: 'CLOSED', outcome: 'COMPLETED' });
    expect([status.stage, status.pendingClosure]).toEqual(['CLOSED', undefined]);
  });

  it('a pathway that never records CLOSED never asks about either patch', () => {
    const p = atAssessment();
    p.event({ type: 'MOVED', district: 'TINGBJERG' });
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.closureFourEyes);
    expect(p.patchesAsked).not.toContain(PATHWAY_PATCHES.reopenWindow);
  });
});

describe(`reopening within ${REOPEN_WITHIN_DAYS} days`, () => {
  it('29 days after closing: back to the stage it was closed from, its work planned again, the cancelled stays', () => {
    const p = atAssessment();
    const cancelledId = p.task('joint-assessment').id;
    p.close('DECLINED');
    p.advanceDays(29);
    expect(p.machine.finished).toBe(false);
    const status = p.reopen('Personen har alligevel sagt ja');
    expect(status.stage).toBe('ASSESSMENT');
    expect(status.reopenableUntil).toBeUndefined();
    const fresh = p.task('joint-assessment');
    expect(fresh.id).not.toBe(cancelledId);
    expect(fresh.createdAt).toBe(p.now.toISOString());
    expect(status.tasks.find((t) => t.id === cancelledId)?.status).toBe('CANCELLED');
    expect(p.timeline().map((e) => e.kind)).toEqual(
      expect.arrayContaining(['PATHWAY_REOPENED', 'STAGE_CHANGED', 'TASK_CREATED']),
    );
    expect(p.timeline().find((e) => e.kind === 'PATHWAY_REOPENED')).toMatchObject({
      detail: { to: 'ASSESSMENT', reason: 'Personen har alligevel sagt ja' },
    });
    // The read model learns it is open again: no closing outcome, no closedAt.
    expect(p.batches.at(-1)).toMatchObject({ stage: 'ASSESSMENT' });
    expect(p.batches.at(-1)).not.toHaveProperty('closedAt');
    expect(p.machine.nextWakeUp()).toBeDefined();
  });

  it('31 days after closing → refused with why; the workflow has ended at 30 days', () => {
    const p = atAssessment();
    p.close('DECLINED');
    const closedAt = p.now.toISOString();
    p.advanceDays(30);
    expect(p.machine.finished).toBe(true);
    p.advanceDays(1);
    expect(refusalOf(() => p.reopen())).toEqual({
      type: 'EventRefused',
      message:
        `the pathway was closed on ${closedAt.slice(0, 10)}: a pathway can be reopened only within 30 days of ` +
        `closing (until ${new Date(Date.parse(closedAt) + 30 * DAY).toISOString()})`,
    });
    expect(p.status().stage).toBe('CLOSED');
  });

  it('an open pathway is not reopened; a reopen needs a reason and a coordinator', () => {
    const p = atAssessment();
    expect(refusalOf(() => p.reopen())).toEqual({ type: 'EventRefused', message: 'the pathway is not closed' });
    p.close('OTHER');
    expect(refusalOf(() => p.reopen(''))).toMatchObject({ type: 'InvalidInput', field: 'reason' });
    expect(
      p.machine.refuseReopen({
        reason: 'x',
        requestedBy: 'EKI',
        requestedByUser: 'e',
        requestedByRoles: ['CASEWORKER'],
      }),
    ).toEqual({ type: 'NotAllowed', message: 'only the coordinators may do this' });
  });

  it('while closed nothing else wakes the pathway, not even the 18th birthday', () => {
    const adultAt = new Date(Date.parse('2027-03-01T08:00:00Z') + 10 * DAY);
    const open = new TestPathway({ age: 17, adultAt });
    open.advanceDays(20);
    expect(open.machine.state.handedOver).toBe(true);
    const p = new TestPathway({ age: 17, adultAt });
    p.close('MOVED');
    expect(p.machine.nextWakeUp()).toBe(Date.parse(p.status().reopenableUntil!));
    p.advanceDays(20);
    expect(p.machine.state.handedOver).toBe(false);
  });

  it(`before patch ${PATHWAY_PATCHES.reopenWindow}, a closed pathway ended at once and cannot be reopened`, () => {
    const p = atAssessment([PATHWAY_PATCHES.reopenWindow]);
    p.close('COMPLETED');
    expect(p.machine.finished).toBe(true);
    expect(p.machine.nextWakeUp()).toBeUndefined();
    expect(refusalOf(() => p.reopen()).type).toBe('EventRefused');
  });
});

describe('closure refusals (pure, as the API runs them against the read model)', () => {
  it('decideClosureRefusal: bad decision 400, nothing pending or already closed 409', () => {
    expect(decideClosureRefusal({ stage: 'INTERVENTION' }, { decision: 'MAYBE', requestedByUser: 'u' })).toMatchObject({
      type: 'InvalidInput',
      field: 'decision',
    });
    expect(decideClosureRefusal({ stage: 'CLOSED' }, { decision: 'CONFIRM', requestedByUser: 'u' })).toEqual({
      type: 'EventRefused',
      message: 'the pathway is already closed',
    });
    expect(
      decideClosureRefusal(
        { stage: 'INTERVENTION', pendingClosure: { requestedByUser: 'a' } },
        { decision: 'REJECT', reason: 'Nej', requestedByUser: 'a' },
      ),
    ).toBeUndefined();
  });

  it('reopenRefusal at 29 and 31 days; recordEventRefusal refuses a second CLOSED', () => {
    const closedAt = '2027-03-01T08:00:00.000Z';
    const pathway = { stage: 'CLOSED' as const, closedAt, reopenableUntil: '2027-03-31T08:00:00.000Z' };
    expect(reopenRefusal(pathway, { reason: 'x' }, new Date(Date.parse(closedAt) + 29 * DAY))).toBeUndefined();
    expect(reopenRefusal(pathway, { reason: 'x' }, new Date(Date.parse(closedAt) + 31 * DAY))?.type).toBe(
      'EventRefused',
    );
    expect(
      recordEventRefusal(
        { stage: 'INTERVENTION', hasReleaseDate: false, pendingClosure: { outcome: 'DECEASED' } },
        'CLOSED',
        { outcome: 'COMPLETED' },
      )?.type,
    ).toBe('EventRefused');
  });
});
