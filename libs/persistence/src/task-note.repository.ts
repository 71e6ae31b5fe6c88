// An agency's working notes on its own task (issue 10, item 8): in PostgreSQL only, never in the workflow's history
// (the migration 1765610000000-TaskHoldAndNotes says why). A note belongs to the agency that wrote it; the API lets
// only the task's agency read or write, and only its own agency's notes.
import type { DataSource } from 'typeorm';

export interface TaskNote {
  id: string;
  taskId: string;
  agency: string;
  authorUserId: string;
  /** The author's display name from the users table, when known. */
  authorName?: string;
  body: string;
  createdAt: string;
}

interface NoteRow {
  id: string;
  task_id: string;
  agency_code: string;
  author_user_id: string;
  display_name: string | null;
  body: string;
  created_iso: string;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const SELECT = `SELECT n.id, n.task_id, n.agency_code, n.author_user_id, u.display_name, n.body,
  to_char(n.created_at AT TIME ZONE 'UTC', ${ISO}) AS created_iso
  FROM task_notes n LEFT JOIN users u ON u.user_id = n.author_user_id`;

const toNote = (r: NoteRow): TaskNote => ({
  id: r.id,
  taskId: r.task_id,
  agency: r.agency_code,
  authorUserId: r.author_user_id,
  ...(r.display_name ? { authorName: r.display_name } : {}),
  body: r.body,
  createdAt: r.created_iso,
});

export class TaskNoteRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The notes `agency` wrote on the task, oldest first. */
  async ofTask(taskId: string, agency: string): Promise<TaskNote[]> {
    const rows: NoteRow[] = await this.dataSource.query(
      `${SELECT} WHERE n.task_id = $1 AND n.agency_code = $2 ORDER BY n.created_at, n.id`,
      [taskId, agency],
    );
    return rows.map(toNote);
  }

  /** Writes the note once under its id (a retry with the same id writes nothing) and answers it as stored. */
  async add(note: {
    id: string;
    taskId: string;
    pathwayId: string;
    agency: string;
    authorUserId: string;
    body: string;
  }) {
    await this.dataSource.query(
      `INSERT INTO task_notes (id, task_id, pathway_id, agency_code, author_user_id, body)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [note.id, note.taskId, note.pathwayId, note.agency, note.authorUserId, note.body],
    );
    const rows: NoteRow[] = await this.dataSource.query(`${SELECT} WHERE n.id = $1`, [note.id]);
    return toNote(rows[0]);
  }
}
