// The operative group's decision on an agenda item about a pathway that resolves no escalation (issue 12, item 1):
// a NOTE or a recommendation to Sikker By goes to the pathway's workflow (recordMeetingDecision) and onto its timeline
// as MEETING_DECISION, once per agenda item. On the machine with a fake clock, as the workflow shell drives it.
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
      message: 'decision must be one of NOTE, RECOMMEND',
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
