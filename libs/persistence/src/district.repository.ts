// The districts table: the districts and focus areas in use, which the steering group changes (PUT /districts/:code).
import type { DataSource } from 'typeorm';

export interface DistrictRow {
  code: string;
  name: string;
  focus: boolean;
  active: boolean;
  updatedAt: string;
  updatedBy?: string;
}

interface Raw {
  code: string;
  name: string;
  focus: boolean;
  active: boolean;
  updated_at: Date;
  updated_by: string | null;
}

const toRow = (r: Raw): DistrictRow => ({
  code: r.code,
  name: r.name,
  focus: r.focus,
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
  ...(r.updated_by ? { updatedBy: r.updated_by } : {}),
});

export class DistrictRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<DistrictRow[]> {
    const rows: Raw[] = await this.dataSource.query(`SELECT * FROM districts ORDER BY code`);
    return rows.map(toRow);
  }

  /** The codes a pathway may be filed under now. */
  async activeCodes(): Promise<string[]> {
    const rows: { code: string }[] = await this.dataSource.query(
      `SELECT code FROM districts WHERE active ORDER BY code`,
    );
    return rows.map((r) => r.code);
  }

  /** Adds the district or changes it; true when it is new. */
  async save(district: { code: string; name: string; focus: boolean; active: boolean }, by: string): Promise<boolean> {
    const rows: { inserted: boolean }[] = await this.dataSource.query(
      `INSERT INTO districts (code, name, focus, active, updated_at, updated_by) VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (code) DO UPDATE SET name = $2, focus = $3, active = $4, updated_at = now(), updated_by = $5
       RETURNING (xmax = 0) AS inserted`,
      [district.code, district.name, district.focus, district.active, by],
    );
    return rows[0].inserted;
  }

  async find(code: string): Promise<DistrictRow | undefined> {
    const rows: Raw[] = await this.dataSource.query(`SELECT * FROM districts WHERE code = $1`, [code]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }
}
