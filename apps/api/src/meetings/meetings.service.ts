// The operative group's meeting: an agenda generated for a date from the read model (libs/persistence/src/
// meeting.repository.ts says what is on it and in which order), items members add by hand, one decision per item, and
// the minutes (approved once, then unchangeable) as a PDF. A decision on an open escalation is the board's decision
// (EscalationsService.resolve: the same refusals, the same Update to the pathway's workflow, onto its timeline). A
// recommendation to Sikker By (RECOMMEND) and a NOTE on any other item about a pathway go to that pathway's workflow
// as recordMeetingDecision, onto its timeline as MEETING_DECISION; so do CHANGE_PRIORITY (the pathway's priority,
// PRIORITY_CHANGED) and CLOSE (a closure asked for, CLOSURE_REQUESTED, which a coordinator confirms or rejects as any
// other: four eyes) on any item about a pathway. An item about no pathway is kept in the minutes only. The recommendations are listed for Sikker By's next meeting.
import { ConflictException, Injectable } from '@nestjs/common';
import {
  MEETING_ITEM_DECISIONS,
  meetingDecisionRefusal,
  pendingClosureFrom,
  type Actor,
  type ClosingOutcome,
  type PathwayPriority,
  type MeetingItemDecision,
  type RecordMeetingDecisionInput,
  type Stage,
} from '../../../../libs/domain/src';
import {
  EscalationRepository,
  MeetingRepository,
  ReadRepository,
  type MeetingItemRow,
  type MeetingRow,
} from '../../../../libs/persistence/src';
import { recordMeetingDecisionUpdate } from '../../../../workflows/pathway/messages';
import { WorkflowCommands, refusalToHttp } from '../core/workflow-commands';
import { RESOLUTIONS, type ResolveEscalationDto } from '../escalations/escalation.dto';
import { EscalationsService } from '../escalations/escalations.service';
import { AuditTrail } from '../core/audit-trail';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type {
  AddMeetingItemDto,
  ApproveMeetingDto,
  CreateMeetingDto,
  MeetingDecisionDto,
  MeetingItemView,
  MeetingListView,
  MeetingView,
  RecommendationListView,
  RecommendationQueryDto,
} from './meeting.dto';
import { minutesPdf } from './minutes-pdf';

type Decision = {
  decision: string;
  note: string;
  dueAt?: string;
  toAgency?: string;
  priority?: PathwayPriority;
  outcome?: ClosingOutcome;
};

/** The decisions an item about a pathway takes without an escalation to resolve (recordMeetingDecision). */
const ON_PATHWAY: readonly string[] = MEETING_ITEM_DECISIONS;

const REASONS: Record<Exclude<MeetingItemRow['kind'], 'ESCALATION'>, string> = {
  AWAITING_ASSESSMENT: 'AWAITING_ASSESSMENT',
  STALLED_PATHWAY: 'STALLED',
  RELEASE_SOON: 'RELEASE_WITHIN_8_WEEKS',
  TURNING_18: 'TURNS_18_WITHIN_6_MONTHS',
  MANUAL: 'ADDED_BY_MEMBER',
};

/** Six months before a day, YYYY-MM-DD: the default start of the recommendations (Sikker By meets twice a year). */
function sixMonthsBefore(day: Date): string {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - 6, day.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

function itemView(item: MeetingItemRow): MeetingItemView {
  const reason = item.kind === 'ESCALATION' ? `ESCALATED_L${item.level}` : REASONS[item.kind];
  const d = item.decision;
  return {
    id: item.id,
    position: item.position,
    kind: item.kind,
    reason,
    ...(item.pathwayId ? { pathwayId: item.pathwayId } : {}),
    ...(item.escalationId ? { escalationId: item.escalationId } : {}),
    ...(item.escalationKind ? { escalationKind: item.escalationKind } : {}),
    ...(item.level !== null ? { level: item.level } : {}),
    ...(item.agency ? { agency: item.agency } : {}),
    ...(item.taskTitle ? { taskTitle: item.taskTitle } : {}),
    ...(item.stage ? { stage: item.stage } : {}),
    ...(item.since ? { since: item.since } : {}),
    ...(item.onDate ? { onDate: item.onDate } : {}),
    ...(item.title ? { title: item.title } : {}),
    ...(item.why ? { why: item.why } : {}),
    ...(item.addedBy ? { addedBy: item.addedBy } : {}),
    ...(item.priority ? { priority: item.priority } : {}),
    ...(d
      ? {
          decision: {
            decision: d.decision,
            note: d.note,
            ...(d.dueAt ? { dueAt: d.dueAt } : {}),
            ...(d.toAgency ? { toAgency: d.toAgency } : {}),
            ...(d.priority ? { priority: d.priority } : {}),
            ...(d.outcome ? { outcome: d.outcome } : {}),
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
          },
        }
      : {}),
  };
}

/** The decision asked for, as it will be recorded: only the fields its kind uses, the note trimmed. */
function wanted(dto: MeetingDecisionDto): Decision {
  return {
    decision: dto.decision,
    note: dto.note.trim(),
    ...(dto.decision === 'EXTEND' ? { dueAt: dto.dueAt } : {}),
    ...(dto.decision === 'REASSIGN' ? { toAgency: dto.toAgency } : {}),
    ...(dto.decision === 'CHANGE_PRIORITY' ? { priority: dto.priority } : {}),
    ...(dto.decision === 'CLOSE' ? { outcome: dto.outcome } : {}),
  };
}

const instant = (value: string | null | undefined) => (value ? new Date(value).getTime() : undefined);

function sameDecision(
  a: Decision,
  b: {
    decision: string;
    note: string;
    dueAt?: string | null;
    toAgency?: string | null;
    priority?: string | null;
    outcome?: string | null;
  },
) {
  return (
    a.decision === b.decision &&
    a.note === b.note &&
    instant(a.dueAt) === instant(b.dueAt) &&
    (a.toAgency ?? null) === (b.toAgency ?? null) &&
    (a.priority ?? null) === (b.priority ?? null) &&
    (a.outcome ?? null) === (b.outcome ?? null)
  );
}

@Injectable()
export class MeetingsService {
  constructor(
    private readonly meetings: MeetingRepository,
    private readonly escalations: EscalationRepository,
    private readonly board: EscalationsService,
    private readonly trail: AuditTrail,
    private readonly commands: WorkflowCommands,
    private readonly read: ReadRepository,
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

  /** A member's item, last on the agenda; the same item again is the one added before (created false). */
  async addItem(id: string, dto: AddMeetingItemDto, actor: Actor): Promise<{ created: boolean; meeting: MeetingView }> {
    await this.meeting(id);
    const pathwayId = dto.pathwayId?.toLowerCase();
    if (pathwayId && !(await this.meetings.pathwayExists(pathwayId))) throw notFound('pathway', pathwayId, UUID_SHAPE);
    const added = await this.meetings.addItem(id, {
      title: dto.title.trim(),
      why: dto.why.trim(),
      ...(pathwayId ? { pathwayId } : {}),
      addedBy: actor.agency,
    });
    if (added === 'gone') throw notFound('meeting', id, UUID_SHAPE);
    if (added === 'approved') throw new ConflictException('the minutes are approved and cannot change');
    return { created: added.created, meeting: await this.get(id) };
  }

  /**
   * The recommendations to Sikker By from the meetings since a day (by default the last 6 months), for its next
   * meeting. Audited as a list: its rows point at pathways.
   */
  async recommendations(query: RecommendationQueryDto, actor: Actor): Promise<RecommendationListView> {
    const from = query.from ?? sixMonthsBefore(new Date());
    const rows = await this.meetings.recommendations(from, 200);
    await this.trail.list(actor, 'LIST_RECOMMENDATIONS', { detail: { from }, itemCount: rows.length });
    return {
      from,
      items: rows.map((r) => ({
        meetingId: r.meetingId,
        meetingDate: r.meetingDate,
        meetingStatus: r.meetingStatus,
        itemId: r.itemId,
        kind: r.kind,
        ...(r.pathwayId ? { pathwayId: r.pathwayId } : {}),
        ...(r.title ? { title: r.title } : {}),
        note: r.note,
        decidedBy: r.decidedBy,
        decidedAt: r.decidedAt,
      })),
    };
  }

  async decide(id: string, itemId: string, dto: MeetingDecisionDto, actor: Actor): Promise<MeetingView> {
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
    if (item.kind !== 'ESCALATION' && !ON_PATHWAY.includes(dto.decision)) {
      throw badRequest([
        {
          field: 'decision',
          reason: 'an item without an escalation is decided with NOTE, RECOMMEND, CHANGE_PRIORITY or CLOSE',
        },
      ]);
    }
    if ((dto.decision === 'CHANGE_PRIORITY' || dto.decision === 'CLOSE') && !item.pathwayId)
      throw badRequest([{ field: 'decision', reason: `${dto.decision} needs an item about a pathway` }]);
    // A recommendation, a priority or a closure leaves the escalation open: Sikker By, or the closure, decides on it.
    if (item.escalationId && (dto.decision === 'NOTE' || (RESOLUTIONS as readonly string[]).includes(dto.decision)))
      await this.sendToPathway(item.escalationId, item.id, dto as ResolveEscalationDto, decision, actor);
    else if (item.pathwayId) await this.recordOnPathway(meeting.id, item.id, item.pathwayId, decision, actor);
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

  /**
   * A NOTE or RECOMMEND that resolves no escalation, onto the pathway's timeline (recordMeetingDecision). Idempotent
   * twice over: one key per agenda item (the Update id Temporal dedupes on, and the first answer kept for a retry),
   * and the workflow records one decision per item, so the same decision sent again after a crash between the
   * workflow and the minutes is no second entry. The request is the decision, not who sent it: another member
   * repeating the group's decision is the same request.
   */
  private async recordOnPathway(
    meetingId: string,
    itemId: string,
    pathwayId: string,
    decision: Decision,
    actor: Actor,
  ): Promise<void> {
    const command: RecordMeetingDecisionInput = {
      meetingId,
      itemId,
      decision: decision.decision as MeetingItemDecision,
      note: decision.note,
      ...(decision.priority ? { priority: decision.priority } : {}),
      ...(decision.outcome ? { outcome: decision.outcome } : {}),
      requestedBy: actor.agency,
      // With CLOSE: the member who recorded it is the one person who may not confirm the closure.
      ...(actor.userId ? { requestedByUser: actor.userId } : {}),
      requestedByRoles: actor.roles,
    };
    const request = {
      command: 'meeting-decision',
      meetingId,
      itemId,
      decision: decision.decision,
      note: decision.note,
      ...(decision.priority ? { priority: decision.priority } : {}),
      ...(decision.outcome ? { outcome: decision.outcome } : {}),
    };
    await this.commands.once(
      { pathwayId, key: `meeting-item-${itemId}`, request },
      {
        check: async () => {
          // The workflow's refusal from the read model, before Temporal is contacted (a closed pathway: 409).
          const pathway = await this.read.findPathway(pathwayId);
          if (!pathway) return;
          // The timeline says whether this item's decision already reached the workflow (a retry after the key's
          // answer was forgotten): then it is no refusal, as in the workflow's own validator.
          const timeline = await this.read.timeline(pathwayId);
          const decided = timeline.find((e) => e.kind === 'MEETING_DECISION' && e.detail.itemId === itemId)?.detail
            .decision as MeetingItemDecision | undefined;
          const pendingClosure = pendingClosureFrom(timeline);
          const facts = {
            stage: pathway.stage as Stage,
            priority: pathway.priority as PathwayPriority,
            ...(decided ? { decided } : {}),
            ...(pendingClosure ? { pendingClosure } : {}),
          };
          const refusal = meetingDecisionRefusal(facts, command);
          if (refusal) throw refusalToHttp(refusal, 'note');
        },
        run: async (updateId) => {
          await this.commands.send(pathwayId, 'note', (h) =>
            h.executeUpdate(recordMeetingDecisionUpdate, { args: [command], ...(updateId ? { updateId } : {}) }),
          );
          return { recorded: true };
        },
      },
    );
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
