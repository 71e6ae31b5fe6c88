// The operative group's decision on an agenda item about a pathway that resolves no escalation (issue 12, item 1):
// a NOTE, a recommendation to Sikker By, a new priority or a closure goes to the pathway's workflow
// (recordMeetingDecision) and onto its timeline as MEETING_DECISION, once per agenda item; CHANGE_PRIORITY sets the
// pathway's priority (PRIORITY_CHANGED), CLOSE asks for the closure that a coordinator confirms (four eyes). On the machine with a fake clock, as the workflow shell drives it.
import { Refused, TestPathway } from '../support/machine';

const ITEM = '5d0e7f3a-1c2b-4d5e-8f90-a1b2c3d4e5f6';
const OTHER_ITEM = '6e1f8a4b-2d3c-4e6f-9a01-b2c3d4e5f6a7';

const refusalOf = (command: () => unknown) => {
  try {
    command();
  } catch (err) {
    if (err instanceof Refused) return err.refusal;
    throw err;
  }
  throw new Error('the command was not refused');
};

/** A 21-year-old's pathway at the joint assessment. */
function atAssessment(): TestPathway {
  const p = new TestPathway({ age: 21 });
  p.complete('eas-registration');
  expect(p.status().stage).toBe('ASSESSMENT');
  return p;
}

const decisions = (p: TestPathway) => p.timeline().filter((e) => e.kind === 'MEETING_DECISION');

describe('recordMeetingDecision', () => {
  it('a NOTE and a RECOMMEND go onto the timeline with the meeting, the item, the decision and the note', () => {
    const p = atAssessment();
    p.advanceDays(3);
    const at = p.now.toISOString();
    const version = p.status().version;
    p.meetingDecision({ itemId: ITEM, decision: 'NOTE', note: '  Afventer vurdering i næste uge  ' });
    p.meetingDecision({ itemId: OTHER_ITEM, decision: 'RECOMMEND', note: 'Indstilles til boligstøtte' });
    expect(decisions(p)).toEqual([
      expect.objectContaining({
        kind: 'MEETING_DECISION',
        at,
        agency: 'OPERATIVE_GROUP',
        detail: {
          meetingId: '0b9c4a52-6d6e-4c1e-9a55-3f3d8f6c2a10',
          itemId: ITEM,
          decision: 'NOTE',
          note: 'Afventer vurdering i næste uge',
        },
      }),
      expect.objectContaining({
        detail: expect.objectContaining({
          itemId: OTHER_ITEM,
          decision: 'RECOMMEND',
          note: 'Indstilles til boligstøtte',
        }),
      }),
    ]);
    expect(p.status().version).toBe(version + 2);
    // Neither is work on the pathway: the stage and the open work stay as they were.
    expect(p.status().stage).toBe('ASSESSMENT');
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
  });

  it('the same decision on the same item again is no second entry; another decision on it is refused (409)', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'RECOMMEND', note: 'Til Sikker By' });
    const version = p.status().version;
    p.advanceDays(1);
    p.meetingDecision({ itemId: ITEM, decision: 'RECOMMEND', note: 'Til Sikker By' });
    expect(decisions(p)).toHaveLength(1);
    expect(p.status().version).toBe(version);
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'NOTE', note: 'Noteret' }))).toEqual({
      type: 'EventRefused',
      message: 'the agenda item already has a decision (RECOMMEND)',
    });
    expect(decisions(p)).toHaveLength(1);
  });

  it('the state carries the decided items across continue-as-new: a repeat in the next run is still no entry', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'NOTE', note: 'Noteret' });
    const next = new TestPathway({ age: 21 }, JSON.parse(JSON.stringify(p.machine.state)) as typeof p.machine.state);
    next.meetingDecision({ itemId: ITEM, decision: 'NOTE', note: 'Noteret' });
    expect(decisions(next)).toHaveLength(0);
  });

  it('refuses bad input (naming the field), anyone but the operative group, and a closed pathway', () => {
    const p = atAssessment();
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'EXTEND', note: 'x' }))).toEqual({
      type: 'InvalidInput',
      message: 'decision must be one of NOTE, RECOMMEND, CHANGE_PRIORITY, CLOSE',
      field: 'decision',
    });
    expect(refusalOf(() => p.meetingDecision({ itemId: 'punkt-1', decision: 'NOTE' }))).toMatchObject({
      type: 'InvalidInput',
      field: 'itemId',
    });
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'NOTE', note: '   ' }))).toMatchObject({
      type: 'InvalidInput',
      field: 'note',
    });
    expect(
      refusalOf(() =>
        p.meetingDecision({ itemId: ITEM, decision: 'NOTE', requestedBy: 'SSP', requestedByRoles: ['CASEWORKER'] }),
      ),
    ).toMatchObject({ type: 'NotAllowed' });
    expect(decisions(p)).toHaveLength(0);

    p.close('COMPLETED');
    expect(p.status().stage).toBe('CLOSED');
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'RECOMMEND', note: 'For sent' }))).toEqual({
      type: 'EventRefused',
      message: "the pathway is closed: the meeting's decision cannot go on its timeline",
    });
    expect(decisions(p)).toHaveLength(0);
  });
});

const ITEM_3 = '7f2a9b5c-3e4d-4f70-8b12-c3d4e5f6a7b8';

describe('CHANGE_PRIORITY', () => {
  it('sets the priority: MEETING_DECISION with the note, then PRIORITY_CHANGED without it; status and batch carry it', () => {
    const p = atAssessment();
    expect(p.status().priority).toBeUndefined();
    p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Trussel mod familien' });
    expect(p.status().priority).toBe('HIGH');
    const entries = p.timeline().slice(-2);
    expect(entries.map((e) => e.kind)).toEqual(['MEETING_DECISION', 'PRIORITY_CHANGED']);
    expect(entries[0].detail).toMatchObject({ decision: 'CHANGE_PRIORITY', note: 'Trussel mod familien' });
    expect(entries[1]).toMatchObject({
      agency: 'OPERATIVE_GROUP',
      detail: { from: 'NORMAL', to: 'HIGH', meetingId: '0b9c4a52-6d6e-4c1e-9a55-3f3d8f6c2a10', itemId: ITEM },
    });
    // The reason stays on the MEETING_DECISION entry, never on PRIORITY_CHANGED.
    expect(JSON.stringify(entries[1].detail)).not.toContain('Trussel');
    expect(p.batches[p.batches.length - 1]!.priority).toBe('HIGH');
    expect(p.patchesAsked).toContain('meeting-priority-and-close');
    // Back to normal at a later meeting.
    p.meetingDecision({
      itemId: OTHER_ITEM,
      decision: 'CHANGE_PRIORITY',
      priority: 'NORMAL',
      note: 'Situationen er rolig',
    });
    expect(p.status().priority).toBe('NORMAL');
    expect(p.timeline().slice(-1)[0].detail).toMatchObject({ from: 'HIGH', to: 'NORMAL' });
  });

  it('refuses a missing or unknown priority (400 on priority) and the priority the pathway already has (409)', () => {
    const p = atAssessment();
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', note: 'x' }))).toEqual({
      type: 'InvalidInput',
      message: 'priority must be one of NORMAL, HIGH (required with CHANGE_PRIORITY)',
      field: 'priority',
    });
    expect(
      refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'URGENT', note: 'x' })),
    ).toMatchObject({ type: 'InvalidInput', field: 'priority' });
    expect(
      refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'NORMAL', note: 'x' })),
    ).toEqual({
      type: 'EventRefused',
      message: "the pathway's priority is already NORMAL: there is nothing to change",
    });
    expect(p.timeline().filter((e) => e.kind === 'PRIORITY_CHANGED' || e.kind === 'MEETING_DECISION')).toEqual([]);
  });

  it('a retry of the same decision on the same item is no second change, even once the priority is HIGH', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Prioriteres' });
    const version = p.status().version;
    p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Prioriteres' });
    expect(p.status().version).toBe(version);
    expect(p.timeline().filter((e) => e.kind === 'PRIORITY_CHANGED')).toHaveLength(1);
  });

  it('with the patch off (a history from before it) only the MEETING_DECISION entry is written', () => {
    const p = new TestPathway({ age: 21, unpatched: ['meeting-priority-and-close'] });
    p.meetingDecision({ itemId: ITEM, decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Prioriteres' });
    expect(p.status().priority).toBeUndefined();
    expect(p.timeline().slice(-1)[0].kind).toBe('MEETING_DECISION');
  });
});

describe('CLOSE', () => {
  it('asks for the closure with the meeting as proposer; a coordinator confirms it and the pathway closes', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'CLOSE', outcome: 'COMPLETED', note: 'Ude af miljøet' });
    // Not closed: four eyes. The pathway runs on with its work open.
    expect(p.status().stage).toBe('ASSESSMENT');
    expect(p.status().pendingClosure).toEqual({
      outcome: 'COMPLETED',
      requestedAt: p.now.toISOString(),
      requestedBy: 'OPERATIVE_GROUP',
      requestedByUser: 'medlem',
      meetingId: '0b9c4a52-6d6e-4c1e-9a55-3f3d8f6c2a10',
    });
    expect(p.timeline().slice(-2)).toEqual([
      expect.objectContaining({ kind: 'MEETING_DECISION', detail: expect.objectContaining({ decision: 'CLOSE' }) }),
      expect.objectContaining({
        kind: 'CLOSURE_REQUESTED',
        agency: 'OPERATIVE_GROUP',
        detail: { outcome: 'COMPLETED', meetingId: '0b9c4a52-6d6e-4c1e-9a55-3f3d8f6c2a10', itemId: ITEM },
      }),
    ]);
    expect(p.queue('OPERATIVE_GROUP')).toEqual(['joint-assessment']);
    // The member who recorded it may not confirm it.
    expect(refusalOf(() => p.decideClosure('CONFIRM', 'medlem'))).toMatchObject({ type: 'NotAllowed' });
    p.decideClosure('CONFIRM', 'koordinator2');
    expect(p.status().stage).toBe('CLOSED');
    expect(p.kinds().slice(-3)).toEqual(expect.arrayContaining(['CLOSURE_CONFIRMED', 'PATHWAY_CLOSED']));
    expect(p.queue('OPERATIVE_GROUP')).toEqual([]);
  });

  it('a coordinator may reject it: the pathway runs on', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'CLOSE', outcome: 'MOVED', note: 'Flyttet' });
    p.decideClosure('REJECT', 'koordinator2', 'Personen er ikke flyttet');
    expect(p.status().pendingClosure).toBeUndefined();
    expect(p.status().stage).toBe('ASSESSMENT');
  });

  it('refuses a missing outcome (400), a closure already waiting (409) and a closed pathway (409)', () => {
    const p = atAssessment();
    expect(refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'CLOSE', note: 'x' }))).toEqual({
      type: 'InvalidInput',
      message: expect.stringMatching(/^outcome must be one of .* \(required with CLOSE\)$/),
      field: 'outcome',
    });
    p.event({ type: 'CLOSED', outcome: 'COMPLETED' });
    expect(
      refusalOf(() => p.meetingDecision({ itemId: ITEM, decision: 'CLOSE', outcome: 'COMPLETED', note: 'x' })),
    ).toEqual({
      type: 'EventRefused',
      message: 'a closure already waits for a coordinator to confirm or reject it: the meeting cannot ask for another',
    });
    p.decideClosure('CONFIRM');
    expect(
      refusalOf(() => p.meetingDecision({ itemId: ITEM_3, decision: 'CLOSE', outcome: 'COMPLETED', note: 'x' })),
    ).toEqual({
      type: 'EventRefused',
      message: 'the pathway is already closed',
    });
  });

  it('a coordinator cannot record CLOSED while the meeting’s closure waits', () => {
    const p = atAssessment();
    p.meetingDecision({ itemId: ITEM, decision: 'CLOSE', outcome: 'COMPLETED', note: 'Afsluttes' });
    expect(refusalOf(() => p.event({ type: 'CLOSED', outcome: 'COMPLETED' }))).toMatchObject({ type: 'EventRefused' });
  });
});
