// The operative group's board and its decisions. A decision goes into the pathway's workflow (a Temporal Update),
// which acts on the task and records it on the timeline; the board is the read model.
import { ConflictException, Injectable } from '@nestjs/common';
import { resolveEscalationUpdate } from '../../../../workflows/pathway/messages';
import {
  EscalationRepository,
  decodeCursor,
  encodeCursor,
  isCursorInstant,
  type EscalationCursor,
  type EscalationRow,
} from '../../../../libs/persistence/src';
import { WorkflowCommands } from '../core/workflow-commands';
import { badRequest, notFound } from '../core/validation';
import type { EscalationPageView, EscalationQueryDto, EscalationView, ResolveEscalationDto } from './escalation.dto';

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
    private readonly commands: WorkflowCommands,
  ) {}

  async board(query: EscalationQueryDto): Promise<EscalationPageView> {
    const after = query.cursor === undefined ? undefined : decode(query.cursor);
    if (query.cursor !== undefined && !after)
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    const { rows, next } = await this.escalations.open(
      { level: query.level, agency: query.agency },
      query.limit ?? 50,
      after,
    );
    const now = Date.now();
    return { items: rows.map((r) => toView(r, now)), nextCursor: next ? encode(next) : null };
  }

  async resolve(id: string, dto: ResolveEscalationDto, agencyHeader?: string): Promise<EscalationView> {
    const row = await this.escalations.find(id);
    if (!row) throw notFound('escalation', id, /^[A-Za-z0-9:._-]{1,200}$/);
    if (row.status !== 'OPEN') throw new ConflictException(`the escalation is already ${row.status}`);
    const requestedBy = await this.commands.actingAgency(agencyHeader, 'OPERATIVE_GROUP');
    if (dto.decision === 'EXTEND' && Date.parse(dto.dueAt!) <= Date.now()) {
      throw badRequest([{ field: 'dueAt', reason: 'must be in the future' }]);
    }
    const toAgency =
      dto.decision === 'REASSIGN' ? await this.commands.existingAgency(dto.toAgency!, 'toAgency') : undefined;
    await this.commands.send(row.pathwayId, 'note', (h) =>
      h.executeUpdate(resolveEscalationUpdate, {
        args: [
          {
            escalationId: id,
            decision: dto.decision,
            note: dto.note.trim(),
            requestedBy,
            ...(dto.decision === 'EXTEND' ? { dueAt: dto.dueAt } : {}),
            ...(toAgency ? { toAgency } : {}),
          },
        ],
      }),
    );
    return toView((await this.escalations.find(id))!, Date.now());
  }
}
