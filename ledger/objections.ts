/**
 * Objections to licenses (rules art. 16): a using unit says a license is wrong; the issuing unit
 * checks it within 5 working days and corrects it if the objection is upheld. The table is
 * migration 013; every step (open, upheld, rejected) appends an `objection` audit entry in the same
 * transaction, and every decision that did not move the objection — an uphold started (before its
 * re-read writes the correction), an uphold held back (no correction yet, or not yet accepted), a
 * decision refused because another came first, an uphold that failed on the way
 * (pipelines/lifecycle/objection-uphold.ts) — appends an `objection-attempt` entry, so the chain
 * holds every decision an operator took. The audit entry carries ids, the
 * evidence file's SM3 and size, and the SM3 digest of the words written (unit, reason, note) —
 * never the words, which may name people.
 */
import { jcs } from '../catalog/canonical.js';
import { sm3Hex } from '../catalog/sm3.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { appendAudit } from './audit-chain.js';
import { type Db, nowIso, rawRows, toDate, toDateOrNull, toInt } from './db.js';

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
  /**
   * Upheld: `correctedVersion` ended the license (revoked, cancelled, withdrawn) rather than
   * correcting its content; the audit entry says so (`settledBy: 'ending'`).
   */
  ended?: boolean;
  /**
   * Upheld, but not in effect yet: the objection stays open and the attempt is audited (an
   * `objection-attempt` entry) instead of the objection being resolved.
   */
  held?: UpholdHeld;
}

/** Why an uphold an operator decided on left the objection open. */
export interface UpholdHeld {
  /**
   * `started`: the uphold is under way, recorded before its re-read writes anything, so an uphold
   * whose process dies before its decision is in the chain all the same (run again, it completes);
   * `source-unchanged`: no version corrects the one objected to; `not-delivered`: the correcting
   * version is not accepted at every target yet; `pipeline-unknown`: the config no longer defines
   * the objection's pipeline, so nothing was re-read; `read-window-closed`: the source's
   * `readWindow` was closed, so nothing was re-read; `re-read-failed`: the re-read itself failed;
   * `decision-failed`: the re-read went out, but reading back what it wrote failed.
   */
  reason:
    | 'started'
    | 'source-unchanged'
    | 'not-delivered'
    | 'pipeline-unknown'
    | 'read-window-closed'
    | 're-read-failed'
    | 'decision-failed';
  /** `not-delivered`: the targets still showing what was objected to, with their delivery state. */
  targets?: readonly { target: string; state: string | null }[];
  /** `re-read-failed`, `decision-failed`: the error's stable code — never its message, which may quote a source row. */
  errorCode?: string;
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
  /**
   * Only upheld objections whose license has a version after the correcting one: those whose
   * correction a later version may have taken back (what `status` looks at).
   */
  correctionSuperseded?: boolean;
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

/** The columns `openObjection` writes, the first three taken from the license's row. */
const OPEN_COLUMNS = [
  'license_id',
  'pipeline',
  'version_at_open',
  'unit',
  'reason',
  'evidence_sm3',
  'evidence_size',
  'opened_by',
  'opened_at',
  'state',
] as const;

export async function openObjection(db: Db, input: OpenObjectionInput): Promise<StoredObjection> {
  const id = await db.write('openObjection', async (trx) => {
    // The license's pipeline and latest version taken by the insert itself: read first and
    // written in a transaction after, a run committing the next version in between left the
    // objection naming the version before. The insert is the transaction's first statement, so
    // on SQLite it holds the write lock before it reads (db.ts).
    const [row] = rawRows<{ objection_id: unknown; version_at_open: unknown }>(
      await trx.raw(
        `insert into objections (${OPEN_COLUMNS.join(', ')})` +
          ' select license_id, pipeline, latest_version, ?, ?, ?, ?, ?, ?, ? from licenses where license_id = ?' +
          ' returning objection_id, version_at_open',
        [
          input.unit,
          input.reason,
          input.evidence?.sm3 ?? null,
          input.evidence?.size ?? null,
          input.actor,
          nowIso(),
          'open',
          input.licenseId,
        ],
      ),
    );
    if (!row) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `objection: license ${input.licenseId} is not in the ledger; give a license id as \`licbridge audit\` or \`reconcile\` show it`,
      );
    }
    const objectionId = toInt(row.objection_id);
    await appendAudit(db, trx, [
      {
        action: 'objection',
        actor: input.actor,
        licenseId: input.licenseId,
        version: toInt(row.version_at_open),
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

type Decided =
  | { kind: 'missing' }
  | { kind: 'resolved' | 'held' }
  | { kind: 'refused'; state: string; resolvedAt: Date | null; licenseId: string };

/**
 * Upholds or rejects an open objection, or records an uphold held back (`held`). Every decision is
 * audited. The objection moves only by a conditional update (`state = 'open'`) inside the one
 * transaction that also audits it: of two decisions racing — a rejection while an uphold re-reads
 * the source — the first to commit stands; the second's update finds the row resolved (PostgreSQL
 * makes it wait on the row's lock, then checks the state again) and is refused, and the refusal
 * too is in the chain, with the corrected version the uphold had found.
 */
export async function resolveObjection(db: Db, input: ResolveObjectionInput): Promise<StoredObjection> {
  const decided = await db.write('resolveObjection', async (trx): Promise<Decided> => {
    const open = trx('objections').where({ objection_id: input.objectionId, state: 'open' });
    // Held: an update that changes nothing but takes the row's lock (and SQLite's write lock, which
    // appendAudit needs before it reads the head), so no decision slips in between.
    const n = input.held
      ? await open.update({ state: 'open' })
      : await open.update({
          state: input.outcome,
          resolved_by: input.actor,
          resolved_at: nowIso(),
          note: input.note,
          corrected_version: input.correctedVersion ?? null,
        });
    const row: { license_id: string; state: string; resolved_at: unknown } | undefined = await trx(
      'objections',
    )
      .select('license_id', 'state', 'resolved_at')
      .where({ objection_id: input.objectionId })
      .first();
    if (!row) return { kind: 'missing' };
    const moved = toInt(n) === 1;
    const common = {
      actor: input.actor,
      licenseId: row.license_id,
      version: input.correctedVersion ?? null,
      digest: wordsDigest([input.note]),
    };
    if (moved && !input.held) {
      await appendAudit(db, trx, [
        {
          action: 'objection',
          ...common,
          detail: {
            objection: input.objectionId,
            step: input.outcome,
            correctedVersion: input.correctedVersion ?? null,
            ...(input.ended ? { settledBy: 'ending' } : {}),
          },
        },
      ]);
      return { kind: 'resolved' };
    }
    // Not moved: the decision is recorded as an attempt — held back, or refused as another came first.
    await appendAudit(db, trx, [
      {
        action: 'objection-attempt',
        ...common,
        detail: {
          objection: input.objectionId,
          decision: input.outcome,
          result: moved ? (input.held?.reason ?? 'held') : 'refused',
          stateFound: row.state,
          correctedVersion: input.correctedVersion ?? null,
          targets: input.held?.targets?.map((t) => `${t.target}:${t.state ?? 'not sent'}`).join(',') ?? null,
          errorCode: input.held?.errorCode ?? null,
        },
      },
    ]);
    return moved
      ? { kind: 'held' }
      : {
          kind: 'refused',
          state: row.state,
          resolvedAt: toDateOrNull(row.resolved_at),
          licenseId: row.license_id,
        };
  });
  if (decided.kind === 'missing') {
    throw new LicbridgeError(ErrorCodes.USAGE, `objection: there is no objection ${input.objectionId}`);
  }
  if (decided.kind === 'refused') throw refusal(input, decided);
  const [stored] = await listObjections(db, { objectionId: input.objectionId });
  if (!stored) {
    throw new LicbridgeError(ErrorCodes.USAGE, `objection: there is no objection ${input.objectionId}`);
  }
  return stored;
}

/** A decision on an objection another decision resolved first, saying what the refused one had found. */
function refusal(
  input: ResolveObjectionInput,
  found: { state: string; resolvedAt: Date | null; licenseId: string },
): LicbridgeError {
  const when = found.resolvedAt ? ` (${found.resolvedAt.toISOString()})` : '';
  // A held uphold found the correction not accepted at every target: it has not gone out everywhere.
  const fate = input.held ? 'is not accepted at every target yet' : 'went out all the same';
  const corrected =
    input.correctedVersion === undefined
      ? ''
      : `; version ${input.correctedVersion} of license ${found.licenseId}, which the re-read found carrying the correction, ${fate} and is recorded with this refused uphold in the audit chain (\`objection-attempt\`), not on the objection`;
  return new LicbridgeError(
    ErrorCodes.USAGE,
    `objection: ${input.objectionId} is already ${found.state}${when}; a resolved objection is not resolved again, so this ${input.outcome === 'upheld' ? 'uphold' : 'rejection'} is refused${corrected}`,
  );
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
    if (query.correctionSuperseded) {
      q.where('state', 'upheld').whereExists(
        k('licenses')
          .select(k.raw('1'))
          .whereRaw('licenses.license_id = objections.license_id')
          .whereRaw('licenses.latest_version > objections.corrected_version'),
      );
    }
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
