// The auditor's reads of the audit trail: pages of rows, the chain's verification and one person's access report
// (for a data subject's request: who looked, when, why). Each read is itself a row of the trail (purpose CONTROL).
import { Injectable } from '@nestjs/common';
import { isUuid, type Actor } from '../../../../libs/domain/src';
import { AuditRepository, ReadRepository, decodeAuditCursor } from '../../../../libs/persistence/src';
import { AuditTrail } from '../core/audit-trail';
import { UUID_SHAPE, badRequest, notFound } from '../core/validation';
import type { AccessReportView, AuditPageView, AuditQueryDto, AuditVerificationView } from './audit.dto';

@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly read: ReadRepository,
    private readonly trail: AuditTrail,
  ) {}

  async list(query: AuditQueryDto, actor: Actor): Promise<AuditPageView> {
    const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from > to) throw badRequest([{ field: 'from', reason: 'must not be after to' }]);
    const page = await this.audit.list(
      {
        pathwayId: query.pathwayId?.toLowerCase(),
        actorUserId: query.actorUserId,
        actorAgency: query.actorAgency,
        action: query.action,
        result: query.result,
        from,
        to,
      },
      query.limit ?? 50,
      after,
    );
    await this.trail.control(actor, 'READ_AUDIT', query.pathwayId);
    return page;
  }

  async verify(actor: Actor): Promise<AuditVerificationView> {
    const verification = await this.audit.verify();
    await this.trail.control(actor, 'VERIFY_AUDIT');
    return verification;
  }

  /** 404 only for an id the service has never known: after a pathway is gone, its trail still answers. */
  async accessReport(personId: string, actor: Actor): Promise<AccessReportView> {
    const id = personId.toLowerCase();
    if (!isUuid(id) || (!(await this.read.findPathway(id)) && !(await this.audit.mentions(id)))) {
      throw notFound('person', personId, UUID_SHAPE);
    }
    const rows = await this.audit.accessReport(id);
    await this.trail.control(actor, 'READ_ACCESS_REPORT', id);
    return {
      personId: id,
      items: rows.map((row) => ({
        at: row.at,
        actorAgency: row.actorAgency,
        ...(row.actorUserId ? { actorUserId: row.actorUserId } : {}),
        ...(row.actorRoles ? { actorRoles: row.actorRoles } : {}),
        action: row.action,
        ...(row.purpose ? { purpose: row.purpose } : {}),
        legalBasis: row.legalBasis,
      })),
    };
  }
}
