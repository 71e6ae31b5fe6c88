// Writes the audit trail for the API: one row per read or change of personal data, per aggregate answer and per
// refused attempt, each with the acting person, the request id, the purpose and the legal basis the pathway's facts
// call for (libs/domain/src/audit.ts). The rows are hash-chained by libs/persistence/src/audit.repository.ts.
import { Injectable } from '@nestjs/common';
import {
  LEGAL_BASES,
  ageOn,
  isUuid,
  legalBasisFor,
  type Actor,
  type LegalBasisFacts,
  type Stage,
} from '../../../../libs/domain/src';
import { currentRequestId } from '../../../../libs/observability/src';
import { AuditRepository, ReadRepository, type AuditEntry } from '../../../../libs/persistence/src';

/** The ids a refused request was about, when its route names them (and they are ids at all). */
export interface AttemptedResource {
  pathwayId?: string;
  taskId?: string;
}

@Injectable()
export class AuditTrail {
  constructor(
    private readonly audit: AuditRepository,
    private readonly read: ReadRepository,
  ) {}

  /** A read or change of one person's pathway, for crime prevention, on the basis its facts call for. */
  async pathway(actor: Actor, action: string, pathwayId: string, taskId?: string): Promise<void> {
    await this.audit.record({
      ...this.who(actor),
      action,
      pathwayId,
      ...(taskId ? { taskId } : {}),
      purpose: 'PREVENTION',
      legalBasis: legalBasisFor(await this.facts(pathwayId)),
    });
  }

  /** An aggregate answer: no person read. `what` says which figures. */
  async statistics(actor: Actor, what: string): Promise<void> {
    await this.audit.record({
      ...this.who(actor),
      action: 'STATISTICS',
      purpose: 'STATISTICS',
      legalBasis: { ...LEGAL_BASES.STATISTICS, text: `${LEGAL_BASES.STATISTICS.text} (${what})` },
    });
  }

  /** An auditor's read of the trail itself (and, for an access report, of one person's part of it). */
  async control(actor: Actor, action: string, pathwayId?: string): Promise<void> {
    await this.audit.record({
      ...this.who(actor),
      action,
      ...(pathwayId ? { pathwayId } : {}),
      purpose: 'CONTROL',
      legalBasis: LEGAL_BASES.CONTROL,
    });
  }

  /** A signed-in person was refused: what they tried (the route's action), on what, and the policy's reason. */
  async refused(actor: Actor, action: string, reason: string, on: AttemptedResource): Promise<void> {
    const pathwayId = on.pathwayId && isUuid(on.pathwayId) ? on.pathwayId : undefined;
    const taskId = on.taskId && isUuid(on.taskId) ? on.taskId : undefined;
    await this.audit.record({
      ...this.who(actor),
      action,
      ...(pathwayId ? { pathwayId } : {}),
      ...(taskId ? { taskId } : {}),
      purpose: 'PREVENTION',
      legalBasis: legalBasisFor(pathwayId ? await this.facts(pathwayId) : {}),
      result: 'REFUSED',
      reason,
    });
  }

  private who(actor: Actor): Pick<AuditEntry, 'actor' | 'actorUserId' | 'actorRoles' | 'requestId'> {
    const requestId = currentRequestId();
    return {
      actor: actor.agency,
      actorUserId: actor.userId,
      actorRoles: actor.roles,
      ...(requestId ? { requestId } : {}),
    };
  }

  private async facts(pathwayId: string): Promise<LegalBasisFacts> {
    const row = await this.read.legalFacts(pathwayId);
    if (!row) return {};
    return {
      consent: row.consent,
      stage: row.stage as Stage,
      ...(row.birthDate ? { age: ageOn(row.birthDate, new Date()) } : {}),
    };
  }
}
