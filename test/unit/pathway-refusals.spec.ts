// One refusal function per command, fed the same small facts by the workflow (its state) and the API (the read
// model); and the HTTP answer each kind of refusal becomes (apps/api/src/core/workflow-commands.ts).
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  cancelTaskRefusal,
  claimTaskRefusal,
  completeTaskRefusal,
  extendTaskRefusal,
  migratePlaybookRefusal,
  reassignTaskRefusal,
  recordEventRefusal,
  resolveEscalationRefusal,
  unclaimTaskRefusal,
  type Refusal,
  type TaskFacts,
} from '../../libs/domain/src';
import { refusalToHttp, translate } from '../../apps/api/src/core/workflow-commands';

const open: TaskFacts = { agency: 'SSP', status: 'OPEN' };
const claimed: TaskFacts = { agency: 'SSP', status: 'CLAIMED', assignee: 'u7' };
const done: TaskFacts = { agency: 'SSP', status: 'DONE' };
const now = new Date('2027-03-01T08:00:00Z');
const future = '2027-04-01T08:00:00Z';

describe('task command refusals', () => {
  it('complete: input, then the task, then whose it is, then its state', () => {
    expect(completeTaskRefusal(open, { outcome: ' ', completedBy: 'EKI' })).toEqual({
      type: 'InvalidInput',
      field: 'outcome',
      message: 'outcome must be one of DONE, DECLINED, NOT_REACHED, NOT_RELEVANT',
    });
    expect(completeTaskRefusal(undefined, { outcome: 'DONE', completedBy: 'SSP' })?.type).toBe('TaskNotFound');
    expect(completeTaskRefusal(done, { outcome: 'DONE', completedBy: 'EKI' })).toEqual({
      type: 'NotAllowed',
      message: 'the task belongs to SSP',
    });
    expect(completeTaskRefusal(done, { outcome: 'DONE', completedBy: 'SSP' })).toEqual({
      type: 'TaskNotOpen',
      message: 'task is already DONE',
    });
    expect(
      completeTaskRefusal({ ...open, awaitingAckFrom: 'EKI' }, { outcome: 'DONE', completedBy: 'SSP' })?.message,
    ).toBe('the handover waits for EKI to acknowledge it');
    // The update handler (replayed) leaves the owner rule and the coded outcome out.
    expect(
      completeTaskRefusal(open, { outcome: 'ok', completedBy: 'EKI' }, { checkOwner: false, checkOutcome: false }),
    ).toBeUndefined();
    expect(completeTaskRefusal(open, { outcome: 'ok\u0000', completedBy: 'SSP' }, { checkOutcome: false })?.field).toBe(
      'outcome',
    );
    expect(completeTaskRefusal(open, { outcome: 'DONE', completedBy: 'SSP', note: 'ok\u0000' })?.field).toBe('note');
  });

  it('claim and unclaim', () => {
    expect(claimTaskRefusal(open, { requestedBy: 'EKI', assignee: 'u1' })?.type).toBe('NotAllowed');
    expect(claimTaskRefusal(claimed, { requestedBy: 'SSP', assignee: 'u1' })?.message).toBe(
      'the task is already claimed by u7',
    );
    expect(claimTaskRefusal(open, { requestedBy: 'SSP', assignee: 'x'.repeat(101) })?.field).toBe('assignee');
    expect(claimTaskRefusal(open, { requestedBy: 'SSP', assignee: 'u1' })).toBeUndefined();
    expect(unclaimTaskRefusal(open, { requestedBy: 'SSP' })?.message).toBe('the task is not claimed');
    expect(unclaimTaskRefusal(claimed, { requestedBy: 'EKI' })?.type).toBe('NotAllowed');
    expect(unclaimTaskRefusal(claimed, { requestedBy: 'OPERATIVE_GROUP' })).toBeUndefined();
  });

  it('reassign, extend and cancel are the operative group’s', () => {
    const og = 'OPERATIVE_GROUP';
    expect(reassignTaskRefusal(open, { requestedBy: 'SSP', toAgency: 'EKI', reason: 'x' })).toEqual({
      type: 'NotAllowed',
      message: 'only the operative group may reassign a task',
    });
    expect(reassignTaskRefusal(open, { requestedBy: og, toAgency: 'SSP', reason: 'x' })?.type).toBe('TaskConflict');
    expect(reassignTaskRefusal(open, { requestedBy: og, toAgency: '', reason: 'x' })?.field).toBe('toAgency');
    expect(extendTaskRefusal(open, { requestedBy: og, dueAt: '2027-02-01T00:00:00Z', reason: 'x' }, now)).toEqual({
      type: 'InvalidInput',
      field: 'dueAt',
      message: 'dueAt must be a time in the future',
    });
    expect(extendTaskRefusal(open, { requestedBy: og, dueAt: future, reason: 'x' }, now)).toBeUndefined();
    expect(extendTaskRefusal(done, { requestedBy: og, dueAt: future, reason: 'x' }, now)?.type).toBe('TaskNotOpen');
    expect(cancelTaskRefusal(open, { requestedBy: 'SSP', reason: 'x' })?.type).toBe('NotAllowed');
    expect(cancelTaskRefusal(open, { requestedBy: og, reason: '' })?.field).toBe('reason');
  });

  it('resolving an escalation: found, open, the operative group’s, and a decision that fits', () => {
    const command = { escalationId: 'e', decision: 'EXTEND' as const, note: 'n', requestedBy: 'OPERATIVE_GROUP' };
    const stall = { status: 'OPEN' as const };
    const late = { status: 'OPEN' as const, taskId: 't' };
    expect(resolveEscalationRefusal(undefined, undefined, command, now)?.type).toBe('EscalationNotFound');
    expect(resolveEscalationRefusal({ status: 'RESOLVED' }, undefined, command, now)?.message).toBe(
      'the escalation is already RESOLVED',
    );
    expect(resolveEscalationRefusal(stall, undefined, { ...command, dueAt: future }, now)).toEqual({
      type: 'InvalidInput',
      field: 'decision',
      message: 'a stalled pathway is resolved with NOTE, not EXTEND',
    });
    expect(resolveEscalationRefusal(stall, undefined, { ...command, decision: 'NOTE' }, now)).toBeUndefined();
    expect(resolveEscalationRefusal(late, done, { ...command, dueAt: future }, now)?.type).toBe('TaskConflict');
    expect(resolveEscalationRefusal(late, open, command, now)?.field).toBe('dueAt');
    expect(resolveEscalationRefusal(late, open, { ...command, dueAt: future }, now)).toBeUndefined();
    expect(resolveEscalationRefusal(late, open, { ...command, decision: 'REASSIGN', toAgency: 'SSP' }, now)?.type).toBe(
      'TaskConflict',
    );
  });
});

describe('event and migration refusals', () => {
  const contact = { stage: 'CONTACT' as const, hasReleaseDate: false };

  it('every data problem, then a release date long past, then whether the stage takes the event', () => {
    expect(recordEventRefusal(contact, 'MOVED', { district: 'vesterbro', extra: 1 })).toMatchObject({
      type: 'InvalidInput',
      field: 'data.extra',
      errors: [
        { field: 'data.extra', reason: 'is not a field of MOVED' },
        { field: 'data.district', reason: 'must be a district code such as YDRE_NORREBRO' },
      ],
    });
    const past = { expectedReleaseDate: '2027-02-27T08:00:00Z' };
    expect(recordEventRefusal(contact, 'SENTENCED', past, now)?.field).toBe('data.expectedReleaseDate');
    // Without `now` (the replayed handler) the date is not judged.
    expect(recordEventRefusal(contact, 'SENTENCED', past)).toBeUndefined();
    expect(recordEventRefusal(contact, 'RELEASED', {})).toMatchObject({
      type: 'EventRefused',
      message: expect.stringMatching(/^RELEASED does not fit stage CONTACT/),
    });
    expect(recordEventRefusal({ stage: 'CLOSED', hasReleaseDate: false }, 'MOVED', { district: 'TINGBJERG' })).toEqual({
      type: 'EventRefused',
      message: 'the pathway is CLOSED and accepts no events',
    });
  });

  it('a migration goes to a newer version, with a reason, while the pathway runs', () => {
    const pathway = { stage: 'CONTACT' as const, playbookVersion: 2 };
    expect(migratePlaybookRefusal(pathway, { playbook: { version: 2 }, reason: 'x' })?.message).toBe(
      'the pathway is on playbook version 2; it can only move to a newer one',
    );
    expect(migratePlaybookRefusal(pathway, { playbook: { version: 3 }, reason: ' ' })).toEqual({
      type: 'InvalidInput',
      field: 'reason',
      message: 'a reason is required',
    });
    expect(migratePlaybookRefusal({ ...pathway, stage: 'CLOSED' }, { playbook: { version: 3 }, reason: 'x' })).toEqual({
      type: 'PlaybookRefused',
      message: 'the pathway is no longer running',
    });
    expect(migratePlaybookRefusal(pathway, { playbook: { version: 3 }, reason: 'x' })).toBeUndefined();
  });
});

describe('a refusal as an HTTP answer', () => {
  const answer = (refusal: Refusal, field = 'reason') => {
    const err = refusalToHttp(refusal, field) as unknown as { getStatus(): number; getResponse(): unknown };
    return [err.getStatus(), err.getResponse()];
  };

  it('maps each kind to 400/403/404/409 and a field refusal to { field, reason }', () => {
    expect(answer({ type: 'InvalidInput', field: 'dueAt', message: 'dueAt must be a time in the future' })).toEqual([
      400,
      expect.objectContaining({ errors: [{ field: 'dueAt', reason: 'must be a time in the future' }] }),
    ]);
    expect(answer({ type: 'InvalidInput', field: 'reason', message: 'a reason is required' })[1]).toMatchObject({
      errors: [{ field: 'reason', reason: 'a reason is required' }],
    });
    expect(answer({ type: 'NotAllowed', message: 'the task belongs to SSP' })).toEqual([
      403,
      expect.objectContaining({ message: 'the task belongs to SSP' }),
    ]);
    expect(answer({ type: 'TaskNotFound', message: 'task not found' })[0]).toBe(404);
    expect(answer({ type: 'EscalationNotFound', message: 'escalation not found' })[0]).toBe(404);
    for (const type of [
      'TaskNotOpen',
      'TaskConflict',
      'EventRefused',
      'PlaybookRefused',
      'EscalationResolved',
    ] as const)
      expect(answer({ type, message: 'm' })).toEqual([409, expect.objectContaining({ message: 'm' })]);
  });

  it('reads the refusal from the workflow failure’s details, not from its wording', () => {
    const refusal: Refusal = { type: 'InvalidInput', field: 'note', message: 'worded any way at all' };
    const failure = ApplicationFailure.nonRetryable(refusal.message, refusal.type, refusal);
    const err = new WorkflowUpdateFailedError('update failed', failure);
    const http = translate(err, 'reason') as { getStatus(): number; getResponse(): unknown };
    expect(http.getStatus()).toBe(400);
    expect(http.getResponse()).toMatchObject({ errors: [{ field: 'note', reason: 'worded any way at all' }] });
    // Anything that is not a refusal stays an error (500).
    const other = new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable('boom', 'Bug'));
    expect(translate(other, 'reason')).toBe(other);
  });
});
