// The published playbooks: read by the API and the pathways it starts, written when a version is published (by a
// coordinator through the API, or from libs/domain/playbooks at boot). A stored version never changes.
import type { DataSource } from 'typeorm';
import type { Playbook } from '../../domain/src';
import { PlaybookEntity } from './entities';

export type PublishResult = { published: PlaybookEntity } | { newest: number };

export class PlaybookRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest published version's number, without its document. */
  async latestVersion(): Promise<number | null> {
    const [row]: { newest: number | null }[] = await this.dataSource.query(
      'SELECT max(version) AS newest FROM playbooks',
    );
    return row?.newest ?? null;
  }

  find(version: number): Promise<PlaybookEntity | null> {
    return this.dataSource.getRepository(PlaybookEntity).findOneBy({ version });
  }

  /** Every published version, newest first, without the documents. */
  list(): Promise<Pick<PlaybookEntity, 'version' | 'name' | 'publishedAt'>[]> {
    return this.dataSource
      .getRepository(PlaybookEntity)
      .find({ select: { version: true, name: true, publishedAt: true }, order: { version: 'DESC' } });
  }

  /** Stores a playbook only if its version is newer than every stored one; otherwise returns the newest. */
  publishNewer(playbook: Playbook): Promise<PublishResult> {
    return this.dataSource.transaction(async (m) => {
      // Publishers queue behind each other (readers do not), so two of them cannot both see the same newest
      // version and store out of order.
      await m.query('LOCK TABLE playbooks IN SHARE ROW EXCLUSIVE MODE');
      const [{ newest }]: { newest: number | null }[] = await m.query('SELECT max(version) AS newest FROM playbooks');
      if (newest !== null && playbook.version <= newest) return { newest };
      await m.query('INSERT INTO playbooks (version, name, definition) VALUES ($1, $2, $3)', [
        playbook.version,
        playbook.name,
        playbook,
      ]);
      return { published: await m.getRepository(PlaybookEntity).findOneByOrFail({ version: playbook.version }) };
    });
  }

  /** The text a published playbook gives a task type (`instructions`), without reading the whole document. */
  async instructions(version: number, type: string): Promise<string | null> {
    const rows: { text: unknown }[] = await this.dataSource.query(
      `SELECT definition->'instructions'->>$2 AS text FROM playbooks WHERE version = $1`,
      [version, type],
    );
    const text = rows[0]?.text;
    return typeof text === 'string' ? text : null;
  }

  /** Stores a playbook version unless that version is already there; returns whether it was new. */
  async publishIfAbsent(playbook: Playbook): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `INSERT INTO playbooks (version, name, definition) VALUES ($1, $2, $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      [playbook.version, playbook.name, playbook],
    );
    return result.length > 0;
  }
}
