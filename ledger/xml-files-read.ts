/**
 * The ledger of XML export files already read. The xml-files connector asks which files of a
 * (source, record path) were read completely, and records each file once every page holding its
 * records has been committed — so a restart, or the next scheduled run, does not read it again.
 */
import { type Db, nowIso, toDate, toInt } from './db.js';

/** A file as it was read: its name in the export folder, its size and the SHA-256 of its bytes. */
export interface XmlFileRead {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes as read. */
  sha256: string;
  readAt: Date;
}

interface XmlFileReadRow {
  file_name: string;
  size: unknown;
  sha256: string;
  read_at: unknown;
}

export async function xmlFilesRead(db: Db, source: string, recordPath: string): Promise<XmlFileRead[]> {
  return db.read('xmlFilesRead', async (k) => {
    const rows: XmlFileReadRow[] = await k('xml_files_read')
      .select('file_name', 'size', 'sha256', 'read_at')
      .where({ source, record_path: recordPath })
      .orderBy('file_name');
    return rows.map((r) => ({
      name: r.file_name,
      size: toInt(r.size),
      sha256: r.sha256,
      readAt: toDate(r.read_at),
    }));
  });
}

/** Idempotent: recording a file again replaces its size, hash and time (the file was rewritten). */
export async function recordXmlFileRead(
  db: Db,
  source: string,
  recordPath: string,
  file: { name: string; size: number; sha256: string },
): Promise<void> {
  await db.write('recordXmlFileRead', async (trx) => {
    await trx('xml_files_read')
      .insert({
        source,
        record_path: recordPath,
        file_name: file.name,
        size: file.size,
        sha256: file.sha256,
        read_at: nowIso(),
      })
      .onConflict(['source', 'record_path', 'file_name'])
      .merge(['size', 'sha256', 'read_at']);
  });
}

/** Forgets the files read of a source (one record path, or all): the next run reads them again. */
export async function forgetXmlFilesRead(db: Db, source: string, recordPath?: string): Promise<number> {
  return db.write('forgetXmlFilesRead', async (trx) => {
    const q = trx('xml_files_read').where({ source });
    if (recordPath !== undefined) q.andWhere({ record_path: recordPath });
    return q.delete();
  });
}
