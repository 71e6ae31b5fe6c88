// Erasing a person (issue 13): a coordinator asks, a second coordinator confirms, and then the person's key is
// destroyed and their rows deleted or reduced to statistics (libs/persistence/src/erasure.repository.ts). The
// pathway's workflow is terminated first, so nothing writes about them again. Idempotent: a repeat of the request
// answers the standing request, a call after the erasure answers that it is done.
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { pathwayWorkflowId, type Actor } from '../../../../libs/domain/src';
import {
  ErasureRepository,
  ReadRepository,
  RetentionRepository,
  type ErasureRequest,
} from '../../../../libs/persistence/src';
import { AuditTrail } from '../core/audit-trail';
import type { Answer } from '../core/respond';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type { ErasureRequestDto, ErasureView, KeepPersonDto, KeptView, RetentionReviewsView } from './person.dto';

const MAX_KEEP_DAYS = 731;

function viewOf(r: ErasureRequest): ErasureView {
  return {
    personId: r.pathwayId,
    status: r.status === 'ERASED' ? 'ERASED' : 'REQUESTED',
    reason: r.reasonCode,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    ...(r.status === 'ERASED' && r.decidedBy ? { erasedBy: r.decidedBy } : {}),
    ...(r.status === 'ERASED' && r.decidedAt ? { erasedAt: r.decidedAt.toISOString() } : {}),
  };
}

@Injectable()
export class PersonsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly read: ReadRepository,
    private readonly erasures: ErasureRepository,
    private readonly retention: RetentionRepository,
    private readonly trail: AuditTrail,
  ) {}

  /** The open retention reviews: ids and dates only; a coordinator opens the pathway to decide. */
  async reviews(actor: Actor): Promise<RetentionReviewsView> {
    const reviews = await this.retention.reviews();
    await this.trail.list(actor, 'LIST_RETENTION_REVIEWS', { itemCount: reviews.length });
    return {
      items: reviews.map((r) => ({
        personId: r.pathwayId,
        closedAt: r.closedAt.toISOString(),
        ...(r.closingOutcome ? { closingOutcome: r.closingOutcome } : {}),
        reviewUntil: r.reviewUntil.toISOString(),
      })),
    };
  }

  /** Keeps a person past the retention period, with a reason, until a date; then they are reviewed again. */
  async keep(personId: string, dto: KeepPersonDto, actor: Actor): Promise<KeptView> {
    if (!UUID_SHAPE.test(personId)) throw notFound('person', personId, UUID_SHAPE);
    const id = personId.toLowerCase();
    const until = new Date(`${dto.keepUntil}T23:59:59.999Z`);
    const days = (until.getTime() - Date.now()) / 86_400_000;
    if (Number.isNaN(until.getTime()) || days <= 0 || days > MAX_KEEP_DAYS) {
      throw badRequest([{ field: 'keepUntil', reason: 'must be a date after today and at most two years ahead' }]);
    }
    const standing = await this.erasures.find(id);
    if (standing?.status === 'ERASED') throw new ConflictException('the person was erased; nothing is left to keep');
    if (!(await this.read.findPathwayRow(id))) throw new NotFoundException(`no person '${id}'`);
    await this.trail.pathway(actor, 'KEEP_PERSON', id);
    await this.erasures.keep(id, actor.userId, dto.reason.trim(), until);
    return {
      personId: id,
      status: 'KEPT',
      reason: dto.reason.trim(),
      keepUntil: until.toISOString(),
      keptBy: actor.userId,
    };
  }

  async erase(personId: string, dto: ErasureRequestDto, actor: Actor): Promise<Answer<ErasureView>> {
    if (!UUID_SHAPE.test(personId)) throw notFound('person', personId, UUID_SHAPE);
    const id = personId.toLowerCase();
    const standing = await this.erasures.find(id);
    if (standing?.status === 'ERASED') return { status: 200, body: viewOf(standing) };
    if (!(await this.read.findPathwayRow(id))) throw new NotFoundException(`no person '${id}'`);
    if (!standing || standing.status === 'KEPT' || standing.status === 'REVIEW') {
      await this.trail.pathway(actor, 'REQUEST_ERASURE', id);
      return { status: 202, body: viewOf(await this.erasures.request(id, dto.reason, actor.userId)) };
    }
    // Four eyes: the coordinator who asked repeats the request, another one confirms it.
    if (standing.requestedBy === actor.userId) return { status: 202, body: viewOf(standing) };
    await this.trail.pathway(actor, 'ERASE_PERSON', id);
    await this.terminate(id);
    return { status: 200, body: viewOf(await this.erasures.erase(id, standing.reasonCode, actor.userId)) };
  }

  /** Stops the pathway's workflow, if it still runs, so that nothing is written about the person again. */
  private async terminate(id: string): Promise<void> {
    try {
      await this.temporal.workflow.getHandle(pathwayWorkflowId(id)).terminate('person erased');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
