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
  type LegalBasis,
  type LegalBasisFacts,
  type Stage,
} from '../../../../libs/domain/src';
import { currentRequestId, noteAuditRows } from '../../../../libs/observability/src';
import { AuditRepository, ReadRepository, type AuditEntry } from '../../../../libs/persistence/src';

/** For a list read: what was listed (an agency code, the filter), never a name, and how many rows it showed. */
export type Listed = Pick<AuditEntry, 'detail' | 'itemCount'>;

/** A pathway's facts as its rows hold them (ReadRepository.legalFacts), before they become LegalBasisFacts. */
export interface LegalFacts {
  consent: boolean;
  stage: string;
  birthDate: string | null;
}

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

  /**
   * A read or change of one person's pathway, for crime prevention, on the basis its facts call for. `listed` when
   * it came out of a list (the next task of a queue): what was listed and how many. `facts` when the caller has just
   * read the pathway's and person's rows (as ReadRepository.legalFacts reads them); read here otherwise.
   */
  async pathway(
    actor: Actor,
    action: string,
    pathwayId: string,
    taskId?: string,
    listed?: Listed,
    facts?: LegalFacts,
  ): Promise<void> {
    await this.write({
      ...this.who(actor),
      action,
      pathwayId,
      ...(taskId ? { taskId } : {}),
      purpose: 'PREVENTION',
      legalBasis: legalBasisFor(facts ? this.factsOf(facts) : await this.facts(pathwayId)),
      ...listed,
    });
  }

  /** One read of several persons (a queue page's names): a row per pathway, each on the basis its facts call for. */
  async pathways(actor: Actor, action: string, pathwayIds: readonly string[], listed?: Listed): Promise<void> {
    const facts = await this.read.legalFactsOf(pathwayIds);
    const byBasis = new Map<LegalBasis, string[]>();
    for (const id of new Set(pathwayIds)) {
      const row = facts.get(id.toLowerCase());
      const basis = legalBasisFor(row ? this.factsOf(row) : {});
      byBasis.set(basis, [...(byBasis.get(basis) ?? []), id]);
    }
    // Handed over together, so they share one append (libs/persistence/src/audit.repository.ts, group commit).
    await Promise.all(
      [...byBasis].map(([legalBasis, ids]) =>
        this.audit.recordEach({ ...this.who(actor), action, purpose: 'PREVENTION', legalBasis, ...listed }, ids),
      ),
    );
    for (const ids of byBasis.values()) noteAuditRows(ids.length);
  }

  /**
   * A list that points at people (a queue, the escalation board) without naming them: what was listed and how many
   * rows it showed. No one person's facts decide its basis, so it is the basis for unknown facts (SSP).
   */
  async list(actor: Actor, action: string, listed: Listed): Promise<void> {
    await this.write({
      ...this.who(actor),
      action,
      purpose: 'PREVENTION',
      legalBasis: legalBasisFor({}),
      ...listed,
    });
  }

  /** An aggregate answer (or a recompute of one, `action`): no person read. `what` says which figures. */
  async statistics(actor: Actor, what: string, action = 'STATISTICS'): Promise<void> {
    await this.write({
      ...this.who(actor),
      action,
      purpose: 'STATISTICS',
      legalBasis: { ...LEGAL_BASES.STATISTICS, text: `${LEGAL_BASES.STATISTICS.text} (${what})` },
    });
  }

  /** An auditor's read of the trail itself (and, for an access report, of one person's part of it). */
  async control(actor: Actor, action: string, pathwayId?: string): Promise<void> {
    await this.write({
      ...this.who(actor),
      action,
      ...(pathwayId ? { pathwayId } : {}),
      purpose: 'CONTROL',
      legalBasis: LEGAL_BASES.CONTROL,
    });
  }

  /**
   * Payloads of Temporal histories decoded for the Temporal UI (POST /codec/decode): which namespace and how many. The
   * UI does not say whose history it shows, so the row names no pathway; an auditor's decoding is CONTROL.
   */
  async decoded(actor: Actor, purpose: 'PREVENTION' | 'CONTROL', listed: Listed): Promise<void> {
    await this.write({
      ...this.who(actor),
      action: 'DECODE_PAYLOADS',
      purpose,
      legalBasis: purpose === 'CONTROL' ? LEGAL_BASES.CONTROL : legalBasisFor({}),
      ...listed,
    });
  }

  /** A signed-in person was refused: what they tried (the route's action), on what, and the policy's reason. */
  async refused(actor: Actor, action: string, reason: string, on: AttemptedResource): Promise<void> {
    const pathwayId = on.pathwayId && isUuid(on.pathwayId) ? on.pathwayId : undefined;
    const taskId = on.taskId && isUuid(on.taskId) ? on.taskId : undefined;
    await this.write({
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

  /**
   * An administrative command on no person's data (a playbook published, a webhook configured, goals set): who did
   * it and what, for accountability.
   */
  async administration(actor: Actor, action: string, detail?: Listed['detail']): Promise<void> {
    await this.write({
      ...this.who(actor),
      action,
      purpose: 'ADMINISTRATION',
      legalBasis: LEGAL_BASES.CONTROL,
      ...(detail ? { detail } : {}),
    });
  }

  /** One row, counted for the request (apps/api/src/core/audit-interceptor.ts writes one when a route wrote none). */
  private async write(entry: AuditEntry): Promise<void> {
    await this.audit.record(entry);
    noteAuditRows();
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
    return row ? this.factsOf(row) : {};
  }

  private factsOf(row: LegalFacts): LegalBasisFacts {
    return {
      consent: row.consent,
      stage: row.stage as Stage,
      ...(row.birthDate ? { age: ageOn(row.birthDate, new Date()) } : {}),
    };
  }
}
