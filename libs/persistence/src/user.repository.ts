// The people who have signed in, as their tokens named them. There is no user directory: a row is written from the
// token when the API sees a person (apps/api/src/auth/known-users.ts), so a team lead can list its agency's people and
// assign them work, and an assignee (a user id) can be shown by name to its own agency.
import type { DataSource } from 'typeorm';

export interface KnownUser {
  userId: string;
  displayName: string;
  agency: string;
  roles: string[];
  lastSeenAt: Date;
}

interface UserRow {
  user_id: string;
  display_name: string;
  agency_code: string;
  roles: string[];
  last_seen_at: Date;
}

const toUser = (row: UserRow): KnownUser => ({
  userId: row.user_id,
  displayName: row.display_name,
  agency: row.agency_code,
  roles: row.roles,
  lastSeenAt: row.last_seen_at,
});

export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The person as the token names them now: name, agency and roles follow the identity provider. */
  async seen(user: Omit<KnownUser, 'lastSeenAt'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (user_id, display_name, agency_code, roles) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE
         SET display_name = EXCLUDED.display_name, agency_code = EXCLUDED.agency_code, roles = EXCLUDED.roles,
             last_seen_at = now()`,
      [user.userId, user.displayName, user.agency, user.roles],
    );
  }

  async find(userId: string): Promise<KnownUser | undefined> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT * FROM users WHERE user_id = $1`, [userId]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /** An agency's people, by name. */
  async ofAgency(agency: string): Promise<KnownUser[]> {
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT * FROM users WHERE agency_code = $1 ORDER BY display_name, user_id`,
      [agency],
    );
    return rows.map(toUser);
  }

  /** The display names of those of these user ids who belong to `agency`; others are left out. */
  async namesIn(agency: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows: { user_id: string; display_name: string }[] = await this.dataSource.query(
      `SELECT user_id, display_name FROM users WHERE agency_code = $1 AND user_id = ANY($2)`,
      [agency, [...new Set(userIds)]],
    );
    return new Map(rows.map((r) => [r.user_id, r.display_name]));
  }
}
