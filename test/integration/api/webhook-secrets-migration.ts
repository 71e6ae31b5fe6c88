// Migration 1765690100000-PlaintextWebhookSecretsDropped on a database from before it: plaintext webhook secrets left
// in the old columns are sealed under the migrating process's master key, then the columns are dropped; a process
// without the keys refuses and changes nothing. Real PostgreSQL, the real migrations.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WebhookRepository, openDatabase, type MasterKeys } from '../../../libs/persistence/src';
import { MIGRATIONS } from '../../../libs/persistence/src/migrations';
import { PlaintextWebhookSecretsDropped1765690100000 } from '../../../libs/persistence/src/migrations/1765690100000-PlaintextWebhookSecretsDropped';
import { createDatabase, dropDatabase, withDatabase } from '../../../scripts/dev-stack/postgres-server';
import { sharedTestEnv } from '../../support/shared-env';

const CURRENT = 'plaintext-current-secret-4f1c9a0b7e';
const PREVIOUS = 'plaintext-previous-secret-8d2e6c3a51';
const JOBCENTER = 'plaintext-jobcenter-secret-0b9d7f4e22';

describe('the plaintext webhook secret columns are dropped', () => {
  let serverUrl: string;
  let name: string;
  let url: string;
  const master: MasterKeys = { activeKeyId: 'm1', keys: new Map([['m1', randomBytes(32)]]) };

  beforeAll(async () => {
    serverUrl = sharedTestEnv().postgresServerUrl;
    name = `exit_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await createDatabase(serverUrl, name);
    url = withDatabase(serverUrl, name);
    // The database as it was before this migration, with secrets still in plaintext (written before sealing).
    const before = MIGRATIONS.indexOf(PlaintextWebhookSecretsDropped1765690100000);
    expect(before).toBeGreaterThan(0);
    const old = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, before) });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    await old.query(
      `UPDATE agencies SET webhook_url = 'https://ssp.example/hook', webhook_secret = $1, webhook_previous_secret = $2,
              webhook_previous_until = now() + interval '1 hour'
        WHERE code = 'SSP'`,
      [CURRENT, PREVIOUS],
    );
    await old.query(
      `UPDATE agencies SET webhook_url = 'https://job.example/hook', webhook_secret = $1 WHERE code = 'JOBCENTER'`,
      [JOBCENTER],
    );
    await old.destroy();
  });
  afterAll(async () => {
    if (name) await dropDatabase(serverUrl, name);
  });

  /** Every row of every table of the database as text, with its bytea columns in the encodings a reader might try. */
  async function everything(db: DataSource): Promise<string> {
    const tables: { table_name: string }[] = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const texts: string[] = [];
    for (const { table_name } of tables) {
      const rows: Record<string, unknown>[] = await db.query(`SELECT * FROM "${table_name}"`);
      for (const row of rows)
        for (const value of Object.values(row))
          texts.push(
            Buffer.isBuffer(value)
              ? ['latin1', 'utf8', 'base64', 'hex'].map((e) => value.toString(e as BufferEncoding)).join(' ')
              : JSON.stringify(value),
          );
    }
    return texts.join('\n');
  }

  const plaintextColumns = async (db: DataSource): Promise<string[]> =>
    (
      await db.query(
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = 'agencies' AND column_name IN ('webhook_secret', 'webhook_previous_secret')
          ORDER BY column_name`,
      )
    ).map((r: { column_name: string }) => r.column_name);

  it('refuses without the master keys, naming how many agencies and no secret, and changes nothing', async () => {
    const error = await openDatabase(url, { poolSize: 1 }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toBe(
      '2 agencies still have a webhook secret in plaintext: this migration seals them and needs PAYLOAD_KEYS, so run ' +
        'it by starting the API or the worker',
    );
    const db = new DataSource({ type: 'postgres', url });
    await db.initialize();
    try {
      expect(await plaintextColumns(db)).toEqual(['webhook_previous_secret', 'webhook_secret']);
      const [ssp] = await db.query(`SELECT webhook_secret, webhook_secret_sealed FROM agencies WHERE code = 'SSP'`);
      expect(ssp).toEqual({ webhook_secret: CURRENT, webhook_secret_sealed: null });
    } finally {
      await db.destroy();
    }
  });

  it('with them (as the API and the worker start): seals what was left, drops the columns; the secrets still sign', async () => {
    const db = await openDatabase(url, { poolSize: 1, masterKeys: master });
    try {
      expect(await plaintextColumns(db)).toEqual([]);
      const all = await everything(db);
      for (const secret of [CURRENT, PREVIOUS, JOBCENTER]) expect(all).not.toContain(secret);
      const sealed: { code: string; webhook_secret_key_id: string; webhook_previous_key_id: string | null }[] =
        await db.query(
          `SELECT code, webhook_secret_key_id, webhook_previous_key_id FROM agencies
            WHERE code IN ('SSP', 'JOBCENTER') ORDER BY code`,
        );
      expect(sealed).toEqual([
        { code: 'JOBCENTER', webhook_secret_key_id: 'm1', webhook_previous_key_id: null },
        { code: 'SSP', webhook_secret_key_id: 'm1', webhook_previous_key_id: 'm1' },
      ]);
      const webhooks = new WebhookRepository(db, master);
      expect(await webhooks.secrets('SSP')).toEqual({
        url: 'https://ssp.example/hook',
        secret: CURRENT,
        previousSecret: PREVIOUS,
      });
      expect(await webhooks.secrets('JOBCENTER')).toMatchObject({ secret: JOBCENTER, previousSecret: null });
      expect(await webhooks.settings('SSP')).toMatchObject({ hasSecret: true });
    } finally {
      await db.destroy();
    }
    // Run again (another process starting): nothing left to do, no error.
    const again = await openDatabase(url, { poolSize: 1 });
    await again.destroy();
  });
});
