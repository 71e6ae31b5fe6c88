// The operative group's meeting: an agenda generated for a date from the read model, one decision per item, and the
// minutes (approved once, then unchangeable) as a PDF. A decision on an escalation is the board's decision
// (EscalationsService.resolve: the same refusals, the same Update to the pathway's workflow, onto its timeline).
import { ConflictException, Injectable } from '@nestjs/common';
import type { Actor } from '../../../../libs/domain/src';
import {
  EscalationRepository,
  MeetingRepository,
  type MeetingItemRow,
  type MeetingRow,
} from '../../../../libs/persistence/src';
import type { ResolveEscalationDto } from '../escalations/escalation.dto';
import { EscalationsService } from '../escalations/escalations.service';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type { ApproveMeetingDto, CreateMeetingDto, MeetingItemView, MeetingListView, MeetingView } from './meeting.dto';
import { minutesPdf } from './minutes-pdf';

type Decision = { decision: string; note: string; dueAt?: string; toAgency?: string };

function itemView(item: MeetingItemRow): MeetingItemView {
  const reason = item.kind === 'STALLED_PATHWAY' ? 'STALLED' : `ESCALATED_L${item.level}`;
  const d = item.decision;
  return {
    id: item.id,
    position: item.position,
    kind: item.kind,
    reason,
    pathwayId: item.pathwayId,
    ...(item.escalationId ? { escalationId: item.escalationId } : {}),
    ...(item.escalationKind ? { escalationKind: item.escalationKind } : {}),
    ...(item.level !== null ? { level: item.level } : {}),
    ...(item.agency ? { agency: item.agency } : {}),
    ...(item.taskTitle ? { taskTitle: item.taskTitle } : {}),
    ...(item.stage ? { stage: item.stage } : {}),
    since: item.since,
    ...(d
      ? {
          decision: {
            decision: d.decision,
            note: d.note,
            ...(d.dueAt ? { dueAt: d.dueAt } : {}),
            ...(d.toAgency ? { toAgency: d.toAgency } : {}),
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
          },
        }
      : {}),
  };
}

/** The decision asked for, as it will be recorded: only the fields its kind uses, the note trimmed. */
function wanted(dto: ResolveEscalationDto): Decision {
  return {
    decision: dto.decision,
    note: dto.note.trim(),
    ...(dto.decision === 'EXTEND' ? { dueAt: dto.dueAt } : {}),
    ...(dto.decision === 'REASSIGN' ? { toAgency: dto.toAgency } : {}),
  };
}

const instant = (value: string | null | undefined) => (value ? new Date(value).getTime() : undefined);

function sameDecision(
  a: Decision,
  b: { decision: string; note: string; dueAt?: string | null; toAgency?: string | null },
) {
  return (
    a.decision === b.decision &&
    a.note === b.note &&
    instant(a.dueAt) === instant(b.dueAt) &&
    (a.toAgency ?? null) === (b.toAgency ?? null)
  );
}

@Injectable()
export class MeetingsService {
  constructor(
    private readonly meetings: MeetingRepository,
    private readonly escalations: EscalationRepository,
    private readonly board: EscalationsService,
  ) {}

  /** The meeting of the date, with its agenda generated now; the existing one (created false) on a repeat. */
  async create(dto: CreateMeetingDto, actor: Actor): Promise<{ created: boolean; meeting: MeetingView }> {
    const { id, created } = await this.meetings.create(dto.date, actor.agency);
    return { created, meeting: await this.get(id) };
  }

  async list(): Promise<MeetingListView> {
    return { items: await this.meetings.list(50) };
  }

  async get(id: string): Promise<MeetingView> {
    const meeting = await this.meeting(id);
    return this.view(meeting, await this.meetings.items(id));
  }

  async decide(id: string, itemId: string, dto: ResolveEscalationDto, actor: Actor): Promise<MeetingView> {
    const meeting = await this.meeting(id);
    const item = UUID_SHAPE.test(itemId) ? (await this.meetings.items(id)).find((i) => i.id === itemId) : undefined;
    if (!item) throw notFound('agenda item', itemId, UUID_SHAPE);
    const decision = wanted(dto);
    if (item.decision) {
      // The same decision again (a retry) answers as the first did; another one is refused.
      if (sameDecision(decision, item.decision)) return this.get(id);
      throw new ConflictException(`the item already has a decision (${item.decision.decision})`);
    }
    if (meeting.status === 'APPROVED') throw new ConflictException('the minutes are approved and cannot change');
    if (item.kind === 'STALLED_PATHWAY' && dto.decision !== 'NOTE') {
      throw badRequest([{ field: 'decision', reason: 'a stalled pathway without an escalation is decided with NOTE' }]);
    }
    if (item.escalationId) await this.sendToPathway(item.escalationId, item.id, dto, decision, actor);
    await this.meetings.decide(item.id, { ...decision, decidedBy: actor.agency });
    return this.get(id);
  }

  async approve(id: string, dto: ApproveMeetingDto, actor: Actor): Promise<MeetingView> {
    const meeting = await this.meeting(id);
    const present = dto.present.map((p) => p.trim());
    if (!(await this.meetings.approve(id, present, actor.agency))) {
      const same = meeting.present.length === present.length && meeting.present.every((p, i) => p === present[i]);
      if (!same) throw new ConflictException('the minutes are approved already and cannot change');
    }
    return this.get(id);
  }

  async minutes(id: string): Promise<{ fileName: string; body: Buffer }> {
    const meeting = await this.meeting(id);
    const body = await minutesPdf(meeting, await this.meetings.items(id));
    return { fileName: `referat-${meeting.date}.pdf`, body };
  }

  /**
   * The board's decision, sent to the pathway. Idempotent: when an earlier attempt reached the workflow but was not
   * recorded here (a crash, a retry racing the first), the escalation is already resolved with this very decision, and
   * that is taken as done instead of a 409. A NOTE on an escalation resolved meanwhile (its task was done, say) is
   * kept in the minutes only: there is nothing left to send it to.
   */
  private async sendToPathway(
    escalationId: string,
    itemId: string,
    dto: ResolveEscalationDto,
    decision: Decision,
    actor: Actor,
  ) {
    try {
      // One Idempotency-Key per agenda item: a retry reaches the workflow under the same Update id.
      await this.board.resolve(escalationId, dto, `meeting-item-${itemId}`, actor);
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      const row = await this.escalations.find(escalationId);
      if (!row || row.status !== 'RESOLVED') throw err;
      const sent = row.decision === decision.decision && row.note === decision.note;
      if (!sent && decision.decision !== 'NOTE') throw err;
    }
  }

  private async meeting(id: string): Promise<MeetingRow> {
    const meeting = UUID_SHAPE.test(id) ? await this.meetings.find(id) : null;
    if (!meeting) throw notFound('meeting', id, UUID_SHAPE);
    return meeting;
  }

  private view(meeting: MeetingRow, items: MeetingItemRow[]): MeetingView {
    return {
      id: meeting.id,
      date: meeting.date,
      status: meeting.status,
      present: meeting.present,
      createdBy: meeting.createdBy,
      createdAt: meeting.createdAt,
      ...(meeting.approvedBy ? { approvedBy: meeting.approvedBy } : {}),
      ...(meeting.approvedAt ? { approvedAt: meeting.approvedAt } : {}),
      items: items.map(itemView),
    };
  }
}
