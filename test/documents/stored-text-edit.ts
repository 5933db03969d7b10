/** Edits a stored license text in a license-file workspace's SQLite ledger, for the sign files tests. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FileWorkspace } from '../platforms/license-file-workspace.js';

/** Sets version `versionId`'s stored text; returns the text it held. */
export function setPayload(ws: FileWorkspace, versionId: number, edit: (text: string) => string): string {
  const db = new Database(join(ws.dir, 'ledger.db'));
  try {
    const row = db.prepare('select payload from license_versions where version_id = ?').get(versionId) as {
      payload: string;
    };
    db.prepare('update license_versions set payload = ? where version_id = ?').run(
      edit(row.payload),
      versionId,
    );
    return row.payload;
  } finally {
    db.close();
  }
}
