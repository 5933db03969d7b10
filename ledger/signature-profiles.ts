/**
 * How a signature's algorithm, distinguishing id and signer kind are stored (migration 025): the
 * same three for every signature of a seal, so `signature_profiles` keeps each combination once
 * and a signature row names it by `profile_id`, its own three columns left ''. Likewise its
 * `content_hash` is left '' when it is its version's; the version's own is read as
 * content-hash-column.ts says (migration 055: its bytes, its text ''). Reading with plain SQL
 * (PostgreSQL; `lower(hex(…))` for `encode(…, 'hex')` on SQLite):
 *
 *   select s.version_id,
 *          case when s.content_hash <> '' then s.content_hash
 *               when v.content_hash = '' and v.content_hash_bytes is not null
 *                 then encode(v.content_hash_bytes, 'hex')
 *               else v.content_hash end as content_hash,
 *          coalesce(p.algorithm, s.algorithm) as algorithm, coalesce(p.dist_id, s.dist_id) as dist_id,
 *          coalesce(p.signer_kind, s.signer_kind) as signer_kind
 *     from signatures s join license_versions v on v.version_id = s.version_id
 *     left join signature_profiles p on p.profile_id = s.profile_id
 */
import type { Knex } from 'knex';

export interface SignatureProfile {
  algorithm: string;
  distId: string;
  signerKind: string;
}

const keyOf = (p: SignatureProfile) => `${p.algorithm}\u0000${p.distId}\u0000${p.signerKind}`;

/**
 * Profile ids read in a transaction that committed, by ledger (its `Db`). A profile row is only
 * ever inserted, never changed or removed (migration 025's down alone drops the table), so an id
 * once committed names its profile for as long as the ledger is open: a sign batch of a profile
 * already known sends neither of its two statements (every batch of a run sent both).
 */
const committedIds = new WeakMap<object, Map<string, number>>();

/** A batch's profile ids, and those it read from the table, for {@link rememberProfileIds}. */
export interface ProfileLookup {
  idOf(p: SignatureProfile): number;
  read: ReadonlyMap<string, number>;
}

/**
 * The `profile_id` of each profile given, made where missing, in the caller's transaction. A
 * batch holds one or two profiles: one statement each to insert, one to read them all back. Those
 * `ledger` has committed before (rememberProfileIds) are not asked again.
 */
export async function profileIds(
  trx: Knex.Transaction,
  profiles: readonly SignatureProfile[],
  ledger?: object,
): Promise<ProfileLookup> {
  const known = ledger ? committedIds.get(ledger) : undefined;
  const distinct = new Map<string, SignatureProfile>();
  for (const p of profiles) {
    const key = keyOf(p);
    if (!known?.has(key)) distinct.set(key, p);
  }
  for (const p of distinct.values()) {
    await trx('signature_profiles')
      .insert({ algorithm: p.algorithm, dist_id: p.distId, signer_kind: p.signerKind })
      .onConflict(['algorithm', 'dist_id', 'signer_kind'])
      .ignore();
  }
  const read = new Map<string, number>();
  for (const [key, p] of distinct) {
    const row: { profile_id: unknown } | undefined = await trx('signature_profiles')
      .select('profile_id')
      .where({ algorithm: p.algorithm, dist_id: p.distId, signer_kind: p.signerKind })
      .first();
    if (row === undefined) throw new Error(`ledger: signature profile ${p.algorithm} was not stored`);
    read.set(key, Number(row.profile_id));
  }
  return {
    idOf: (p) => {
      const key = keyOf(p);
      const id = read.get(key) ?? known?.get(key);
      if (id === undefined) throw new Error(`ledger: signature profile ${p.algorithm} was not looked up`);
      return id;
    },
    read,
  };
}

/**
 * Keeps the ids `read` for `ledger`'s later batches; called once the transaction that read them
 * has committed. Not before: a profile inserted by a transaction rolled back leaves an id SQLite
 * may give another profile next.
 */
export function rememberProfileIds(ledger: object, read: ReadonlyMap<string, number>): void {
  if (read.size === 0) return;
  let known = committedIds.get(ledger);
  if (!known) {
    known = new Map();
    committedIds.set(ledger, known);
  }
  for (const [key, id] of read) known.set(key, id);
}

/** The columns of a signature row as stored, and what its version and profile give back. */
export interface StoredSignatureColumns {
  content_hash: string;
  algorithm: string;
  dist_id: string;
  signer_kind: string;
  profile_id?: unknown;
  version_content_hash?: string | null;
  profile_algorithm?: string | null;
  profile_dist_id?: string | null;
  profile_signer_kind?: string | null;
}

/** The content hash and profile a stored signature was recorded with, in either form. */
export function readSignatureColumns(r: StoredSignatureColumns): SignatureProfile & { contentHash: string } {
  const contentHash = r.content_hash === '' ? r.version_content_hash : r.content_hash;
  if (contentHash === undefined || contentHash === null) {
    throw new Error('ledger: a signature stored without its content hash was read without its version');
  }
  if (r.profile_id === null || r.profile_id === undefined) {
    return { contentHash, algorithm: r.algorithm, distId: r.dist_id, signerKind: r.signer_kind };
  }
  if (
    r.profile_algorithm === undefined ||
    r.profile_algorithm === null ||
    r.profile_dist_id === undefined ||
    r.profile_dist_id === null ||
    r.profile_signer_kind === undefined ||
    r.profile_signer_kind === null
  ) {
    throw new Error(`ledger: signature profile ${String(r.profile_id)} is missing from signature_profiles`);
  }
  return {
    contentHash,
    algorithm: r.profile_algorithm,
    distId: r.profile_dist_id,
    signerKind: r.profile_signer_kind,
  };
}
