// The audit trail's hash chain: each row's hash covers its own fields and the hash of the row before it, so a row
// changed, removed or slipped in afterwards breaks the chain at that row (AuditRepository.verify finds it). Used by
// the repository when it writes and verifies, and by the migration that chained the rows written before.
import { createHash } from 'node:crypto';

/** The fields a row's hash covers, as the database returns them (uuids in lower case, `at` to the millisecond). */
export interface ChainedFields {
  id: string;
  at: Date;
  actorAgency: string;
  actorUserId: string | null;
  actorRoles: string | null;
  action: string;
  pathwayId: string | null;
  taskId: string | null;
  purpose: string | null;
  legalBasis: string;
  legalBasisCode: string | null;
  requestId: string | null;
  result: string;
  reason: string | null;
  /** A list read's filter (jsonb: read back as an object, its keys in PostgreSQL's order). */
  detail: Record<string, string | number | boolean> | null;
  itemCount: number | null;
}

/** The detail as the hash sees it: its entries sorted by key, so jsonb's own key order does not matter. */
function detailText(detail: Record<string, string | number | boolean> | null): string | null {
  return detail === null
    ? null
    : JSON.stringify(Object.entries(detail).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The hash the first row links to. */
export const CHAIN_START = '0'.repeat(64);

/** sha256 over the previous hash and the row's fields in a fixed order (a version tag first, for a later format). */
export function chainHash(previous: string, row: ChainedFields): string {
  const fields = [
    'audit-chain-v1',
    previous,
    row.id,
    row.at.toISOString(),
    row.actorAgency,
    row.actorUserId,
    row.actorRoles,
    row.action,
    row.pathwayId,
    row.taskId,
    row.purpose,
    row.legalBasis,
    row.legalBasisCode,
    row.requestId,
    row.result,
    row.reason,
    detailText(row.detail),
    row.itemCount,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The SELECT list that reads a row as ChainedFields (with its stored prev_hash and hash). */
export const CHAINED_COLUMNS = `id::text AS id, at, actor_agency AS "actorAgency", actor_user_id AS "actorUserId",
  actor_roles AS "actorRoles", action, pathway_id::text AS "pathwayId", task_id::text AS "taskId", purpose,
  legal_basis AS "legalBasis", legal_basis_code AS "legalBasisCode", request_id AS "requestId", result, reason,
  detail, item_count AS "itemCount", prev_hash AS "prevHash", hash`;
