// The operative group's board and its decisions. A decision goes into the pathway's workflow (a Temporal Update),
// which acts on the task and records it on the timeline; the board is the read model. Reading the board is audited
// (who, which filter, how many rows): its rows point at pathways, so at people.
import { Injectable } from '@nestjs/common';
import { resolveEscalationRefusal, taskFacts, type Actor } from '../../../../libs/domain/src';
import { resolveEscalationUpdate } from '../../../../workflows/pathway/messages';
import {
  EscalationRepository,
  TaskRepository,
  decodeCursor,
  encodeCursor,
  isCursorInstant,
  toTask,
  type EscalationCursor,
  type EscalationRow,
} from '../../../../libs/persistence/src';
import { AuditTrail } from '../core/audit-trail';
import { WorkflowCommands, actorOf, refusalToHttp } from '../core/workflow-commands';
import { badRequest, notFound } from '../core/validation';
import type {
  EscalationPageView,
  EscalationQueryDto,
  EscalationView,
  ResolveEscalationDto,
  ResolvedEscalationQueryDto,
} from './escalation.dto';

function toView(row: EscalationRow, now: number): EscalationView {
  const raisedAt = new Date(row.raisedAt);
  return {
    id: row.id,
    pathwayId: row.pathwayId,
    ...(row.taskId ? { taskId: row.taskId } : {}),
    ...(row.taskTitle ? { taskTitle: row.taskTitle } : {}),
    kind: row.kind,
    level: row.level,
    agency: row.agency,
    escalatedTo: row.escalatedTo,
    status: row.status,
    raisedAt: raisedAt.toISOString(),
    ageSeconds: Math.max(0, Math.floor((now - raisedAt.getTime()) / 1000)),
    ...(row.resolvedAt ? { resolvedAt: new Date(row.resolvedAt).toISOString() } : {}),
    ...(row.decision ? { decision: row.decision } : {}),
    ...(row.note ? { note: row.note } : {}),
  };
}

function encode(cursor: EscalationCursor): string {
  return encodeCursor('escalations', [cursor.level, cursor.raisedAt, cursor.id]);
}

function decode(text: string): EscalationCursor | undefined {
  const key = decodeCursor(text, 'escalations', 3);
  if (!key) return undefined;
  const [level, raisedAt, id] = key;
  if ((level !== 1 && level !== 2) || !isCursorInstant(raisedAt)) return undefined;
  if (typeof id !== 'string' || id.length > 200) return undefined;
  return { level, raisedAt, id };
}

@Injectable()
export class EscalationsService {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly tasks: TaskRepository,
    private readonly commands: WorkflowCommands,
    private readonly trail: AuditTrail,
  ) {}

  async board(query: EscalationQueryDto, actor: Actor): Promise<EscalationPageView> {
    const after = query.cursor === undefined ? undefined : decode(query.cursor);
    if (query.cursor !== undefined && !after)
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    const { rows, next } = await this.escalations.open(
      { level: query.level, agency: query.agency },
      query.limit ?? 50,
      after,
    );
    await this.trail.list(actor, 'LIST_ESCALATIONS', {
      detail: {
        ...(query.level ? { level: query.level } : {}),
        ...(query.agency ? { agency: query.agency } : {}),
        ...(query.cursor ? { page: 'next' } : {}),
      },
      itemCount: rows.length,
    });
    const now = Date.now();
    return { items: rows.map((r) => toView(r, now)), nextCursor: next ? encode(next) : null };
  }

  /** The history: resolved escalations, the latest first, filtered by level, agency and decision (audited). */
  async history(query: ResolvedEscalationQueryDto, actor: Actor): Promise<EscalationPageView> {
    const key = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 'escalations-resolved', 2);
    const after =
      key && isCursorInstant(key[0]) && typeof key[1] === 'string' && key[1].length <= 200
        ? { resolvedAt: key[0] as string, id: key[1] }
        : undefined;
    if (query.cursor !== undefined && !after)
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    const filter = { level: query.level, agency: query.agency, decision: query.decision };
    const { rows, next } = await this.escalations.resolved(filter, query.limit ?? 50, after);
    await this.trail.list(actor, 'LIST_RESOLVED_ESCALATIONS', {
      detail: {
        ...(query.level ? { level: query.level } : {}),
        ...(query.agency ? { agency: query.agency } : {}),
        ...(query.decision ? { decision: query.decision } : {}),
        ...(query.cursor ? { page: 'next' } : {}),
      },
      itemCount: rows.length,
    });
    const now = Date.now();
    return {
      items: rows.map((r) => toView(r, now)),
      nextCursor: next ? encodeCursor('escalations-resolved', [next.resolvedAt, next.id]) : null,
    };
  }

  async resolve(id: string, dto: ResolveEscalationDto, key: string | undefined, actor: Actor): Promise<EscalationView> {
    const row = await this.escalations.find(id);
    if (!row) throw notFound('escalation', id, /^[A-Za-z0-9:._-]{1,200}$/);
    const requestedBy = actor.agency;
    const toAgency =
      dto.decision === 'REASSIGN' ? await this.commands.existingAgency(dto.toAgency!, 'toAgency') : undefined;
    const command = {
      escalationId: id,
      decision: dto.decision,
      note: dto.note.trim(),
      requestedBy,
      requestedByRoles: actor.roles,
      ...(dto.decision === 'EXTEND' ? { dueAt: dto.dueAt } : {}),
      ...(toAgency ? { toAgency } : {}),
    };
    return this.commands.once(
      { pathwayId: row.pathwayId, key, request: { command: 'resolve-escalation', actor: actorOf(actor), id, dto } },
      {
        check: async () => {
          // The same refusal the workflow's validator gives, from the read model and before Temporal is contacted.
          const task = row.taskId ? await this.tasks.find(row.taskId) : null;
          const escalation = {
            status: row.status as 'OPEN' | 'RESOLVED',
            ...(row.taskId ? { taskId: row.taskId } : {}),
          };
          const refusal = resolveEscalationRefusal(
            escalation,
            task ? taskFacts(toTask(task)) : undefined,
            command,
            new Date(),
          );
          if (refusal) throw refusalToHttp(refusal, 'note');
        },
        run: async (updateId) => {
          await this.commands.send(row.pathwayId, 'note', (h) =>
            h.executeUpdate(resolveEscalationUpdate, { args: [command], ...(updateId ? { updateId } : {}) }),
          );
          return toView((await this.escalations.find(id))!, Date.now());
        },
      },
    );
  }
}
