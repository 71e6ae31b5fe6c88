import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHAINED_COLUMNS, CHAIN_START, chainHash, type ChainedFields } from '../audit-chain';

/**
 * The audit trail becomes evidence: every row says why (purpose), on which legal basis (a code of
 * libs/domain/src/audit.ts besides its text), in which request, with which roles, and whether it was allowed or
 * refused; and the rows are hash-chained (libs/persistence/src/audit-chain.ts). The rows written before are chained
 * here in id order. The application's role may only INSERT and SELECT the table (libs/persistence/src/database.ts).
 */
export class AuditChain1765400000000 implements MigrationInterface {
  name = 'AuditChain1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log
        ADD COLUMN actor_roles text,
        ADD COLUMN purpose text,
        ADD COLUMN legal_basis_code text,
        ADD COLUMN request_id text,
        ADD COLUMN result text NOT NULL DEFAULT 'ALLOWED' CHECK (result IN ('ALLOWED', 'REFUSED')),
        ADD COLUMN reason text,
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text`);
    // The chain covers `at` as JavaScript reads it: to the millisecond.
    await q.query(`UPDATE audit_log SET at = date_trunc('milliseconds', at)`);
    let previous = CHAIN_START;
    let after = '0';
    for (;;) {
      const rows: (ChainedFields & { prevHash: string | null; hash: string | null })[] = await q.query(
        `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT 1000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const hash = chainHash(previous, row);
        await q.query(`UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3`, [previous, hash, row.id]);
        previous = hash;
      }
      after = rows[rows.length - 1].id;
    }
    await q.query(`ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_log_prev_hash_idx ON audit_log (prev_hash)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_at_idx`);
    await q.query(`DROP INDEX audit_log_prev_hash_idx`);
    await q.query(`
      ALTER TABLE audit_log
        DROP COLUMN actor_roles, DROP COLUMN purpose, DROP COLUMN legal_basis_code, DROP COLUMN request_id,
        DROP COLUMN result, DROP COLUMN reason, DROP COLUMN prev_hash, DROP COLUMN hash`);
  }
}
