/**
 * What a SQLite ledger's commits write to its WAL, by table and index: a reader holds a read
 * transaction open from before the commits (so no checkpoint can restart the WAL and every frame
 * written stays in the file), then the WAL's frames are read by page number and each page is named
 * by `dbstat` (the table or index whose b-tree holds it). Used by commit-page.ts's `--wal`.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** A reader pinning the WAL from now on; `stop` lets it go. */
export interface WalPin {
  stop(): void;
}

/** Opens a read transaction on `file` that no checkpoint can pass. */
export function pinWal(file: string): WalPin {
  const db = new Database(file);
  db.exec('begin');
  db.prepare('select count(*) from sqlite_schema').get();
  return {
    stop() {
      db.exec('commit');
      db.close();
    },
  };
}

/** Truncates `file`'s WAL to nothing (after every frame is copied back). */
export function truncateWal(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The WAL's frames since it last restarted: page number → frames written of it. */
function framesByPage(file: string): { pageSize: number; frames: Map<number, number> } {
  const wal = `${file}-wal`;
  const size = statSync(wal).size;
  const frames = new Map<number, number>();
  if (size < WAL_HEADER) return { pageSize: 0, frames };
  const fd = openSync(wal, 'r');
  try {
    const head = Buffer.alloc(WAL_HEADER);
    readSync(fd, head, 0, WAL_HEADER, 0);
    const pageSize = head.readUInt32BE(8);
    const salts = head.subarray(16, 24);
    const frame = Buffer.alloc(FRAME_HEADER);
    for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= size; at += FRAME_HEADER + pageSize) {
      readSync(fd, frame, 0, FRAME_HEADER, at);
      // A frame of an earlier generation of the WAL carries other salts.
      if (!frame.subarray(8, 16).equals(salts)) break;
      const page = frame.readUInt32BE(0);
      frames.set(page, (frames.get(page) ?? 0) + 1);
    }
    return { pageSize, frames };
  } finally {
    closeSync(fd);
  }
}

/** WAL bytes written since it last restarted, in all and by b-tree name (largest first). */
export function walByBtree(file: string): { bytes: number; byName: [string, number][] } {
  const { pageSize, frames } = framesByPage(file);
  const db = new Database(file, { readonly: true });
  const names = new Map<number, string>();
  for (const r of db.prepare('select name, pageno from dbstat').iterate() as Iterable<{
    name: string;
    pageno: number;
  }>)
    names.set(r.pageno, r.name);
  db.close();
  const byName = new Map<string, number>();
  let bytes = 0;
  for (const [page, n] of frames) {
    const name = names.get(page) ?? (page === 1 ? 'sqlite_schema' : '(free list)');
    const b = n * (pageSize + FRAME_HEADER);
    byName.set(name, (byName.get(name) ?? 0) + b);
    bytes += b;
  }
  return { bytes, byName: [...byName].sort((a, b) => b[1] - a[1]) };
}
