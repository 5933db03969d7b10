/**
 * The acts an entry of one act records, checked against the ledger's rows: a new version's entry
 * holds its license, version number and content hash (`digest`), a signature's entry its seal
 * (the actor) and signature digest, each with `detail.versionId`. Versions and signatures are
 * never changed once written, so a row that no longer matches, or is gone, was changed since —
 * as verify finds for a batch's acts (audit.ts), which an act alone in its batch (an incremental
 * run that changed one license) must not escape.
 */
import type { AuditEntry, AuditProblem } from './audit-types.js';
import { chunk, type Db, toInt } from './db.js';

interface SingleAct {
  entry: AuditEntry;
  versionId: number;
  /** The seal of a signature act; undefined for a new version. */
  seal?: string;
}

function singleAct(e: AuditEntry, versionActions: ReadonlySet<string>): SingleAct | undefined {
  if (e.licenseId === null || e.digest === null) return undefined;
  const isVersion = versionActions.has(e.action);
  const seal =
    e.action === 'sign' && e.actor.startsWith('signer:') ? e.actor.slice('signer:'.length) : undefined;
  if (!isVersion && seal === undefined) return undefined;
  let id: unknown;
  try {
    id = (JSON.parse(e.detail) as { versionId?: unknown }).versionId;
  } catch {
    return undefined;
  }
  // Entries that name no version id (repairs name their run and reason) are bound by the chain alone.
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
  return { entry: e, versionId: id, ...(seal === undefined ? {} : { seal }) };
}

/** The first entry of one act in `page` whose version or signature row no longer matches it. */
export async function firstDifferingSingle(
  db: Db,
  page: readonly AuditEntry[],
  versionActions: ReadonlySet<string>,
): Promise<AuditProblem | undefined> {
  const acts = page.flatMap((e) => singleAct(e, versionActions) ?? []);
  if (acts.length === 0) return undefined;
  const versions = new Map<number, string>();
  const signatures = new Map<string, string>();
  const versionIds = [...new Set(acts.filter((a) => a.seal === undefined).map((a) => a.versionId))];
  const signedIds = [...new Set(acts.filter((a) => a.seal !== undefined).map((a) => a.versionId))];
  await db.read('verifyAuditSingleActs', async (k) => {
    for (const part of chunk(versionIds, db.maxParams - 1)) {
      const rows: { version_id: unknown; license_id: string; version: unknown; content_hash: string }[] =
        await k('license_versions')
          .select('version_id', 'license_id', 'version', 'content_hash')
          .whereIn('version_id', part);
      for (const r of rows)
        versions.set(toInt(r.version_id), `${r.license_id}\u0000${toInt(r.version)}\u0000${r.content_hash}`);
    }
    for (const part of chunk(signedIds, db.maxParams - 1)) {
      const rows: { version_id: unknown; seal_id: string; digest: string }[] = await k('signatures')
        .select('version_id', 'seal_id', 'digest')
        .whereIn('version_id', part);
      for (const r of rows) signatures.set(`${toInt(r.version_id)}\u0000${r.seal_id}`, r.digest);
    }
  });
  for (const { entry: e, versionId, seal } of acts) {
    const found = seal === undefined ? versions.get(versionId) : signatures.get(`${versionId}\u0000${seal}`);
    const recorded = seal === undefined ? `${e.licenseId}\u0000${e.version}\u0000${e.digest}` : e.digest;
    if (found === recorded) continue;
    const what = seal === undefined ? 'version' : 'signature';
    return {
      seq: e.seq,
      kind: 'acts-differ',
      message:
        found === undefined
          ? `entry ${e.seq}: the ${what} it records (version id ${versionId}) is no longer in the ledger`
          : `entry ${e.seq}: the ${what} it records (version id ${versionId}) was changed in the ledger since`,
    };
  }
  return undefined;
}

/**
 * The ledger's newest version: written in the transaction that records its act, so an entry of
 * the chain as it stood then records it — unless entries were deleted from its entry on and the
 * head set back to the entry before (all links then fit), or every entry was and the head set
 * back to the start.
 */
export interface NewestVersion {
  versionId: number;
  licenseId: string;
  version: number;
}

/**
 * Whether `e` records the act that wrote `newest`: a batch's version-id ranges hold its id; an
 * entry of one act names its license and version number (a repair's names no version id).
 */
export function recordsVersion(
  e: AuditEntry,
  newest: NewestVersion,
  versionActions: ReadonlySet<string>,
): boolean {
  if (!versionActions.has(e.action)) return false;
  if (e.licenseId !== null) return e.licenseId === newest.licenseId && e.version === newest.version;
  let ranges: unknown;
  try {
    ranges = (JSON.parse(e.detail) as { versions?: unknown }).versions;
  } catch {
    return false;
  }
  if (typeof ranges !== 'string') return false;
  // Ranges are tested, not expanded: a batch of thousands of versions is a handful of ranges.
  return ranges.split(',').some((part) => {
    const dash = part.indexOf('-');
    const from = Number(dash < 0 ? part : part.slice(0, dash));
    const to = dash < 0 ? from : Number(part.slice(dash + 1));
    return from <= newest.versionId && newest.versionId <= to;
  });
}
