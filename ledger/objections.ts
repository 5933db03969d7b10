/**
 * Objections to licenses (rules art. 16): a using unit says a license is wrong; the issuing unit
 * checks it within 5 working days and corrects it if the objection is upheld. The table is
 * migration 013; every step (open, upheld, rejected) appends an audit entry in the same
 * transaction. The audit entry carries ids, the evidence file's SM3 and size, and the SM3 digest
 * of the words written (unit, reason, note) — never the words, which may name people.
 */
import { jcs } from '../catalog/canonical.js';
import { sm3Hex } from '../catalog/sm3.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { appendAudit } from './audit-chain.js';
import { type Db, nowIso, toDate, toDateOrNull, toInt } from './db.js';

export type ObjectionState = 'open' | 'upheld' | 'rejected';

export interface ObjectionEvidence {
  /** Hex SM3 of the file's bytes. */
  sm3: string;
  size: number;
}

export interface StoredObjection {
  objectionId: number;
  licenseId: string;
  pipeline: string;
  /** The license's latest version when the objection was opened. */
  versionAtOpen: number;
  unit: string;
  reason: string;
  evidence: ObjectionEvidence | null;
  openedBy: string;
  openedAt: Date;
  state: ObjectionState;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  note: string | null;
  /** Upheld: the version carrying the correction. */
  correctedVersion: number | null;
}

export interface OpenObjectionInput {
  licenseId: string;
  unit: string;
  reason: string;
  evidence?: ObjectionEvidence;
  actor: string;
}

export interface ResolveObjectionInput {
  objectionId: number;
  outcome: 'upheld' | 'rejected';
  note: string;
  actor: string;
  /** Upheld: the version that carries the correction. */
  correctedVersion?: number;
}

export interface ObjectionQuery {
  /** @defaultValue every state */
  state?: ObjectionState;
  /** Only objections opened before this instant. */
  openedBefore?: Date;
  licenseId?: string;
  objectionId?: number;
  /** Only objections whose id is above this one: the next page after a page ending there. */
  afterId?: number;
  /** At most this many, in id order. @defaultValue 1000 */
  limit?: number;
}

interface ObjectionRow {
  objection_id: unknown;
  license_id: string;
  pipeline: string;
  version_at_open: unknown;
  unit: string;
  reason: string;
  evidence_sm3: string | null;
  evidence_size: unknown;
  opened_by: string;
  opened_at: unknown;
  state: string;
  resolved_by: string | null;
  resolved_at: unknown;
  note: string | null;
  corrected_version: unknown;
}

function toObjection(r: ObjectionRow): StoredObjection {
  return {
    objectionId: toInt(r.objection_id),
    licenseId: r.license_id,
    pipeline: r.pipeline,
    versionAtOpen: toInt(r.version_at_open),
    unit: r.unit,
    reason: r.reason,
    evidence: r.evidence_sm3 === null ? null : { sm3: r.evidence_sm3, size: toInt(r.evidence_size ?? 0) },
    openedBy: r.opened_by,
    openedAt: toDate(r.opened_at),
    state: r.state as ObjectionState,
    resolvedBy: r.resolved_by,
    resolvedAt: toDateOrNull(r.resolved_at),
    note: r.note,
    correctedVersion: r.corrected_version === null ? null : toInt(r.corrected_version),
  };
}

/** The SM3 of what a person wrote, so the chain proves the words without holding them. */
function wordsDigest(words: readonly (string | null)[]): string {
  return sm3Hex(jcs(words));
}

export async function openObjection(db: Db, input: OpenObjectionInput): Promise<StoredObjection> {
  const license = await db.read('openObjection', async (k) => {
    const row: { pipeline: string; latest_version: unknown } | undefined = await k('licenses')
      .select('pipeline', 'latest_version')
      .where({ license_id: input.licenseId })
      .first();
    return row;
  });
  if (!license) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `objection: license ${input.licenseId} is not in the ledger; give a license id as \`licbridge audit\` or \`reconcile\` show it`,
    );
  }
  const versionAtOpen = toInt(license.latest_version);
  const id = await db.write('openObjection', async (trx) => {
    const [row] = await trx('objections')
      .insert({
        license_id: input.licenseId,
        pipeline: license.pipeline,
        version_at_open: versionAtOpen,
        unit: input.unit,
        reason: input.reason,
        evidence_sm3: input.evidence?.sm3 ?? null,
        evidence_size: input.evidence?.size ?? null,
        opened_by: input.actor,
        opened_at: nowIso(),
        state: 'open',
      })
      .returning(['objection_id']);
    const objectionId = toInt((row as { objection_id: unknown }).objection_id);
    await appendAudit(db, trx, [
      {
        action: 'objection',
        actor: input.actor,
        licenseId: input.licenseId,
        version: versionAtOpen,
        digest: wordsDigest([input.unit, input.reason, input.evidence?.sm3 ?? null]),
        detail: {
          objection: objectionId,
          step: 'open',
          evidenceSm3: input.evidence?.sm3 ?? null,
          evidenceBytes: input.evidence?.size ?? null,
        },
      },
    ]);
    return objectionId;
  });
  const [stored] = await listObjections(db, { objectionId: id });
  if (!stored) throw new LicbridgeError(ErrorCodes.LEDGER, `objection: ${id} vanished after it was written`);
  return stored;
}

export async function resolveObjection(db: Db, input: ResolveObjectionInput): Promise<StoredObjection> {
  const resolved = await db.write('resolveObjection', async (trx) => {
    // Only an open objection moves: two people resolving at once do not both resolve it.
    const n = await trx('objections')
      .where({ objection_id: input.objectionId, state: 'open' })
      .update({
        state: input.outcome,
        resolved_by: input.actor,
        resolved_at: nowIso(),
        note: input.note,
        corrected_version: input.correctedVersion ?? null,
      });
    if (toInt(n) === 0) return null;
    const row: { license_id: string } | undefined = await trx('objections')
      .select('license_id')
      .where({ objection_id: input.objectionId })
      .first();
    await appendAudit(db, trx, [
      {
        action: 'objection',
        actor: input.actor,
        licenseId: row?.license_id ?? null,
        version: input.correctedVersion ?? null,
        digest: wordsDigest([input.note]),
        detail: {
          objection: input.objectionId,
          step: input.outcome,
          correctedVersion: input.correctedVersion ?? null,
        },
      },
    ]);
    return input.objectionId;
  });
  const [stored] = await listObjections(db, { objectionId: input.objectionId });
  if (!stored) {
    throw new LicbridgeError(ErrorCodes.USAGE, `objection: there is no objection ${input.objectionId}`);
  }
  if (resolved === null) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `objection: ${input.objectionId} is already ${stored.state} (${stored.resolvedAt?.toISOString() ?? ''}); a resolved objection is not resolved again`,
    );
  }
  return stored;
}

export async function listObjections(db: Db, query: ObjectionQuery = {}): Promise<StoredObjection[]> {
  return db.read('listObjections', async (k) => {
    const q = k('objections')
      .select('*')
      .orderBy('objection_id')
      .limit(query.limit ?? 1000);
    if (query.state) q.where('state', query.state);
    if (query.openedBefore) q.where('opened_at', '<', query.openedBefore.toISOString());
    if (query.licenseId) q.where('license_id', query.licenseId);
    if (query.objectionId !== undefined) q.where('objection_id', query.objectionId);
    if (query.afterId !== undefined) q.where('objection_id', '>', query.afterId);
    const rows: ObjectionRow[] = await q;
    return rows.map(toObjection);
  });
}

/** Open objections opened before `before`: how many, and when the oldest was opened. */
export async function openObjectionsBefore(
  db: Db,
  before: Date,
): Promise<{ count: number; oldest: Date | null }> {
  return db.read('openObjectionsBefore', async (k) => {
    const row: { n?: unknown; oldest?: unknown } | undefined = await k('objections')
      .where('state', 'open')
      .andWhere('opened_at', '<', before.toISOString())
      .count({ n: '*' })
      .min({ oldest: 'opened_at' })
      .first();
    const count = toInt(row?.n ?? 0);
    return { count, oldest: count > 0 && row?.oldest != null ? toDate(row.oldest) : null };
  });
}
