/**
 * Breaks a license's stored text in a reminder workspace's ledger, on either backend, as a disk or
 * a hand editing the database would: the latest version's `payload` column rewritten by `edit`.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { PG_URL } from '../ledger/backends.js';
import type { ReminderWorkspace } from './reminders-fixture.js';

/** Rewrites the `payload` text of `licenseId`'s latest version; returns the text it held. */
export async function editStoredText(
  ws: ReminderWorkspace,
  licenseId: string,
  edit: (text: string) => string,
): Promise<string> {
  const url = ws.config.ledger.url;
  const select = `select v.version_id, v.payload from license_versions v
     join licenses l on l.license_id = v.license_id and l.latest_version = v.version
    where v.license_id = `;
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    try {
      const row = db.prepare(`${select}?`).get(licenseId) as { version_id: number; payload: string };
      db.prepare('update license_versions set payload = ? where version_id = ?').run(
        edit(row.payload),
        row.version_id,
      );
      return row.payload;
    } finally {
      db.close();
    }
  }
  const schema = new URL(url).searchParams.get('schema') as string;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const { rows } = await client.query<{ version_id: number; payload: string }>(`${select}$1`, [licenseId]);
    const row = rows[0];
    if (!row) throw new Error(`stored-text fixture: no version of ${licenseId}`);
    await client.query('update license_versions set payload = $1 where version_id = $2', [
      edit(row.payload),
      row.version_id,
    ]);
    return row.payload;
  } finally {
    await client.end();
  }
}
