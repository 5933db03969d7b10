/**
 * The files of `audit export`: a range of the chain streamed as JSON Lines, a page at a time,
 * each entry checked to follow the one before it, then signed (SM2 with SM3) with the signature
 * and public key beside it. Each file is written beside its name and renamed over it; one export of
 * a name at a time (`<out>.lock`, audit-export-lock.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DigestSigner } from '../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalJson } from '../core/terminal-text.js';
import { linkProblem } from '../ledger/audit.js';
import type { AuditEntry, AuditQuery } from '../ledger/audit-types.js';
import type { Ledger } from '../ledger/ledger.js';
import { GENESIS_HASH } from '../ledger/migrations/004-audit-reconcile.js';
import { FILE_MODE, onDisk, writeAll } from './audit-export-disk.js';
import { lockExport } from './audit-export-lock.js';

/** Entries read and written per page while exporting. */
const EXPORT_PAGE = 5000;

export interface AuditExport {
  entries: number;
  /** The first and last `seq` exported (none for an export of no entries): the next export starts after `last`. */
  seqs?: { first: number; last: number };
  out: string;
  signature: string;
  publicKey: string;
  distId: string;
}

export interface AuditExportWrite {
  /** The entries' file; `<out>.sig` and `<out>.pub.pem` beside it. */
  out: string;
  /** Entries per page. @defaultValue 5000 */
  pageSize?: number;
  /** Told after each page is written: the entries written so far. Counts only, for a progress line. */
  onWritten?: (entries: number) => void;
}

/**
 * Streams the entries of `query` into `out`, a page at a time, and signs them: memory holds one
 * page, not the range, which for an export of the whole chain (20 years of entries) is millions.
 * The signature is over the file's bytes M, e = SM3(Z ‖ M) hashed as the pages are written, so the
 * files are the ones a single `sign([M])` made, and verify as before (docs/audit.md). Each file is
 * written beside its name and renamed over it: an export that fails leaves no part-written file,
 * and an earlier export under that name as it was.
 */
export async function writeAuditExport(
  ledger: Pick<Ledger, 'readAudit' | 'auditHeadSeq'>,
  signer: DigestSigner,
  query: AuditQuery,
  request: AuditExportWrite,
): Promise<AuditExport> {
  const pageSize = request.pageSize ?? EXPORT_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: expected \`pageSize\` to be an integer of at least 1, got \`${String(pageSize)}\` (${typeof pageSize})`,
    );
  }
  const files = { out: request.out, signature: `${request.out}.sig`, publicKey: `${request.out}.pub.pem` };
  const unlock = await lockExport(files.out);
  try {
    return await writeLocked(ledger, signer, query, files, pageSize, request.onWritten);
  } finally {
    await unlock();
  }
}

/** The three files of an export. */
interface ExportFiles {
  out: string;
  signature: string;
  publicKey: string;
}

async function writeLocked(
  ledger: Pick<Ledger, 'readAudit' | 'auditHeadSeq'>,
  signer: DigestSigner,
  query: AuditQuery,
  files: ExportFiles,
  pageSize: number,
  onWritten: AuditExportWrite['onWritten'],
): Promise<AuditExport> {
  const tag = `.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const temps = {
    out: `${files.out}${tag}`,
    signature: `${files.signature}${tag}`,
    publicKey: `${files.publicKey}${tag}`,
  };
  try {
    const hash = createHash('sm3').update(signer.z());
    const follows = rangeLinks(ledger, query, pageSize);
    let entries = 0;
    let seqs: AuditExport['seqs'];
    let firstLine = true;
    const handle = await onDisk(files.out, () => open(temps.out, 'wx', FILE_MODE));
    try {
      /** Entries checked and not yet written: the range's own, and those between them (below). */
      const pending: AuditEntry[] = [];
      const flush = async (): Promise<void> => {
        if (pending.length === 0) return;
        const lines = pending.map((e) => exportJson(e));
        if (firstLine) lines[0] = await withChainStart(ledger, pending[0] as AuditEntry);
        firstLine = false;
        // JSON Lines: each entry then "\n", the last one too; no entries, no bytes.
        const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        hash.update(bytes);
        await onDisk(files.out, () => writeAll(handle, bytes));
        entries += pending.length;
        seqs = {
          first: seqs?.first ?? (pending[0] as AuditEntry).seq,
          last: (pending.at(-1) as AuditEntry).seq,
        };
        pending.length = 0;
      };
      const keep = async (list: readonly AuditEntry[]): Promise<void> => {
        pending.push(...list);
        if (pending.length >= pageSize) await flush();
      };
      let after = 0;
      for (;;) {
        const page = await ledger.readAudit({ ...query, afterSeq: after, limit: pageSize });
        if (page.length === 0) break;
        for (const e of page) {
          await follows(e, keep);
          await keep([e]);
        }
        await flush();
        onWritten?.(entries);
        after = page[page.length - 1]?.seq ?? after;
      }
      await rangeEnd(ledger, query, entries === 0 ? undefined : after);
      // On disk before it is renamed into place, so a crash cannot leave an empty file under the name.
      await onDisk(files.out, () => handle.sync());
    } finally {
      await handle.close();
    }
    const [record] = await signer.signDigests([hash.digest()]);
    if (!record)
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, 'audit: export failed: the signer returned nothing');
    await onDisk(files.signature, () => writeSynced(temps.signature, record.signature));
    await onDisk(files.publicKey, () =>
      writeSynced(temps.publicKey, Buffer.from(signer.publicKeyPem(), 'utf8')),
    );
    await putInPlace([
      [temps.signature, files.signature],
      [temps.publicKey, files.publicKey],
      [temps.out, files.out],
    ]);
    // The renames are entries of the folder: on disk only once it is flushed. Unflushed, a power cut
    // after the command reported the export written could take the files back, or leave the entries
    // without their signature.
    await onDisk(files.out, () => syncFolder(dirname(files.out)));
    return { entries, ...(seqs === undefined ? {} : { seqs }), ...files, distId: record.distId };
  } catch (e) {
    await Promise.all(Object.values(temps).map((t) => rm(t, { force: true })));
    throw e;
  }
}

/**
 * A check of each entry an export is about to sign: it must follow the one before it in the
 * chain (next `seq`, `prev_hash` its hash, its own hash over its values), and the range must start
 * where it was asked to (entry 1 when no start was given). A signed export is kept as proof of
 * the chain: one that silently left out a deleted entry, or carried an altered one, would attest
 * a chain that is not there. Fails naming the first entry that does not fit.
 *
 * A date range is not always a stretch of seqs: entries are timed by the clock of the host that
 * wrote them, and one whose clock runs ahead or behind writes an entry timed outside the range
 * between two inside it. Those entries are read by seq, checked as the range's own are, and handed
 * to `keep` to be exported with them: left out, the file's lines did not follow each other, and
 * whoever holds only the export could not tell a gap of the clock from a deleted entry.
 */
function rangeLinks(
  ledger: Pick<Ledger, 'readAudit'>,
  query: AuditQuery,
  pageSize: number,
): (e: AuditEntry, keep: (between: readonly AuditEntry[]) => Promise<void>) => Promise<void> {
  const timed = query.from !== undefined || query.to !== undefined;
  let expected: { seq: number; prevHash: string } | undefined =
    query.from === undefined
      ? query.fromSeq === undefined || query.fromSeq <= 1
        ? { seq: 1, prevHash: GENESIS_HASH }
        : { seq: query.fromSeq, prevHash: '' }
      : undefined;
  const follow = (e: AuditEntry) => {
    // Entry 1 follows the genesis hash, however the range was asked for: a date range starting before
    // it signed an entry 1 whose prev_hash was rewritten, a file that starts off the chain.
    const at = expected ?? { seq: e.seq, prevHash: e.seq === 1 ? GENESIS_HASH : e.prevHash };
    // The entry before a range's start is not read: its link is checked by `audit verify`.
    const problem = linkProblem(e, at.seq, at.prevHash === '' ? e.prevHash : at.prevHash);
    if (problem) {
      throw new LicbridgeError(
        ErrorCodes.LEDGER,
        `audit: export failed: ${problem.message}; nothing was signed — run \`licbridge audit verify\``,
      );
    }
    expected = { seq: e.seq + 1, prevHash: e.hash };
  };
  return async (e, keep) => {
    while (timed && expected !== undefined && e.seq > expected.seq) {
      const between = await ledger.readAudit({
        afterSeq: expected.seq - 1,
        toSeq: e.seq - 1,
        limit: pageSize,
      });
      // None left: the gap is a deleted entry, which `follow` names.
      if (between.length === 0) break;
      for (const b of between) follow(b);
      await keep(between);
    }
    follow(e);
  };
}

/**
 * A range asked to end at entry `toSeq`, or at the chain's end, must reach it: one whose last
 * entries were deleted read as a shorter range, and was signed as if those entries never were. An
 * entry of the chain past `last` (the last one exported; before the range when none was) and past
 * the next seq names the deletion; the next seq itself is one appended since the last page was
 * read. With no entry past `last`, the chain's head names the deletion when it names a later entry
 * (the entries read again after it, so one appended meanwhile is found as the next seq). A date range
 * ending at a date cannot tell: its last entries deleted look like a quiet end of the day.
 */
async function rangeEnd(
  ledger: Pick<Ledger, 'readAudit' | 'auditHeadSeq'>,
  query: AuditQuery,
  last: number | undefined,
): Promise<void> {
  if (query.toSeq === undefined && query.to !== undefined) return;
  // Nothing exported from a date: the range may well hold no entry, so nothing tells where it starts.
  if (last === undefined && query.from !== undefined) return;
  const end = last ?? Math.max(query.fromSeq ?? 1, 1) - 1;
  if (query.toSeq !== undefined && end >= query.toSeq) return;
  const after = () => ledger.readAudit({ afterSeq: end, limit: 1 });
  // An open range's walk ended on a read past `end` that found nothing: no need to read it again.
  let [next] = query.toSeq === undefined ? [] : await after();
  let head: number | undefined;
  if (next === undefined) {
    head = await ledger.auditHeadSeq();
    if (head === undefined || head <= end) return;
    // One appended since the walk's last read is the next seq, and the head names it.
    [next] = await after();
  }
  if (next !== undefined && next.seq <= end + 1) return;
  const seen =
    next === undefined ? `the chain head names entry ${head} as its last` : `the next entry is ${next.seq}`;
  throw new LicbridgeError(
    ErrorCodes.LEDGER,
    `audit: export failed: entry ${end + 1} is missing (${seen}); nothing was signed — run \`licbridge audit verify\``,
  );
}

/**
 * The export's first line. An export that starts after entry 1 names the ledger it was taken from
 * by the hash of that ledger's entry 1, as `chainStart` beside the entry's fields (signed with
 * them), so `audit verify --against` tells an export of another ledger from a rewritten chain; one
 * that starts at entry 1 holds that hash already. Left out when the chain has no entry 1 to name.
 */
async function withChainStart(ledger: Pick<Ledger, 'readAudit'>, e: AuditEntry): Promise<string> {
  if (e.seq === 1) return exportJson(e);
  const [start] = await ledger.readAudit({ afterSeq: 0, toSeq: 1, limit: 1 });
  return exportJson(start?.seq === 1 ? { ...e, chainStart: start.hash } : e);
}

/**
 * An export's line: the JSON of the entry, with DEL, C1 and bidi controls and the line and
 * paragraph separators written as `\uXXXX` (JSON.stringify escapes only C0). An actor, a license
 * id or a detail from a source may hold them, and a bidi override makes a line read otherwise
 * than its bytes to whoever opens the file (CVE-2021-42574). The values parse back the same, so
 * each line's hash checks as before; the signature is over the bytes written.
 */
function exportJson(value: unknown): string {
  return terminalJson(value).replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

/**
 * Renames each `[temp, name]` onto its name, in order: the signature and key, then the entries.
 * The entries went first, and an export that failed (or a machine that stopped) before the
 * signature's rename left them under their name, whole and well-formed, with no signature made for
 * them beside them. Last, they are in place only beside their own signature and key. A failure
 * puts back what each name held: a file of an earlier export, kept by a second link beside it
 * while the renames run (the name itself holds a file throughout, so a machine that stops meanwhile
 * leaves no name empty), or nothing, the file this export put there removed.
 */
async function putInPlace(moves: readonly (readonly [string, string])[]): Promise<void> {
  const done: { name: string; kept: string | undefined; placed: boolean }[] = [];
  try {
    for (const [temp, name] of moves) {
      const step = { name, kept: await keepLink(name, `${temp}.was`), placed: false };
      done.push(step);
      await onDisk(name, () => rename(temp, name));
      step.placed = true;
    }
  } catch (e) {
    for (const { name, kept, placed } of done.reverse()) {
      if (kept !== undefined) {
        // Where the failed rename left the earlier file under its name, the two are links of one
        // file and the rename does nothing: the second link stayed, a copy under a temporary name.
        await rename(kept, name).catch(() => undefined);
        await rm(kept, { force: true }).catch(() => undefined);
      } else if (placed) await rm(name, { force: true });
    }
    throw e;
  }
  await Promise.all(done.map(({ kept }) => (kept === undefined ? undefined : rm(kept, { force: true }))));
}

/**
 * A second link `aside` to the regular file at `name`, to put it back; undefined when there is none,
 * or the file system makes no links (a folder, another mount, a file system without them): then
 * the file cannot be put back, as before.
 */
async function keepLink(name: string, aside: string): Promise<string | undefined> {
  try {
    await link(name, aside);
    return aside;
  } catch {
    return undefined;
  }
}

/** Flushes the folder `dir`, so the names renamed into it survive a power cut. */
async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** A new file holding `bytes`, on disk before it is renamed into place (as the entries are). */
async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
