/**
 * Signatures: one per (version, seal). A version is signed once; a replayed sign job finds its
 * pair present and the first signature stands.
 */
import type { Knex } from 'knex';
import { batchEntries } from './audit-batch.js';
import { appendAudit } from './audit-chain.js';
import { contentHashSql } from './content-hash-column.js';
import { chunk, type Db, inLists, nowIso, paddedRowChunks, rawRows, toBuffer, toInt } from './db.js';
import { digestColumns } from './digest-column.js';
import { whereHashedKey } from './hashed-keys.js';
import type { StoredSignature } from './ledger.js';
import { freshenStatistics, PAGE_STATISTICS_EVERY_MS } from './pg-statistics.js';
import { closeSignedStoredText } from './repair-quarantine.js';
import { type SignatureRow, toSignature } from './rows.js';
import { profileIds, rememberProfileIds } from './signature-profiles.js';
import { runOnSqliteTransaction } from './sqlite-connection.js';

export async function recordSignatures(db: Db, signatures: readonly StoredSignature[]): Promise<number> {
  if (signatures.length === 0) return 0;
  // The profile ids the committed attempt read: kept for the ledger's next batches once it commits.
  let profilesRead: ReadonlyMap<string, number> = new Map();
  const count = await db.write('recordSignatures', async (trx) => {
    const { inserted, profiles } = await insertSignatures(db, trx, signatures);
    profilesRead = profiles;
    await closeSignedStoredText(
      trx,
      db,
      inserted.map((s) => s.versionId),
      nowIso(),
    );
    await auditSignatures(db, trx, signatures, inserted);
    return inserted.length;
  });
  rememberProfileIds(db, profilesRead);
  return count;
}

/**
 * One statement per batch; on PostgreSQL the signatures travel as one JSON parameter (bytes as
 * hex), on SQLite bound value by value (insertSignaturesSqlite). With ON CONFLICT DO NOTHING both
 * databases return only the rows actually inserted: a (version, seal) pair already signed keeps
 * its first signature. The algorithm, distinguishing id and signer kind go to
 * `signature_profiles`, and a content hash equal to the version's is left '' (migration 025,
 * ledger/signature-profiles.ts): the comparison is made in the statement, against the row itself.
 */
async function insertSignatures(
  db: Db,
  trx: Knex.Transaction,
  given: readonly StoredSignature[],
): Promise<{ inserted: { versionId: number; sealId: string }[]; profiles: ReadonlyMap<string, number> }> {
  const signatures = firstOfEachPair(given);
  const { idOf: profileOf, read: profiles } = await profileIds(trx, signatures, db);
  if (db.dialect === 'sqlite') {
    return { inserted: await insertSignaturesSqlite(db, trx, signatures, profileOf), profiles };
  }
  const values = JSON.stringify(
    signatures.map((s) => {
      const digest = digestColumns(s.digest);
      return {
        version_id: s.versionId,
        seal_id: s.sealId,
        content_hash: s.contentHash,
        digest: digest.digest,
        digest_bytes: digest.digest_bytes?.toString('hex') ?? null,
        signature: toBuffer(s.signature).toString('hex'),
        profile_id: profileOf(s),
        certificate_serial: s.certificateSerial,
        certificate_issuer: s.certificateIssuer,
        signed_at: s.signedAt.toISOString(),
      };
    }),
  );
  const columns = SIGNATURE_COLUMNS.join(', ');
  // The version's hash in either form (content-hash-column.ts).
  const ownHash = (given: string) =>
    `case when ${contentHashSql('postgres', 'v')} = ${given} then '' else ${given} end`;
  const source = `select ${SIGNATURE_COLUMNS.map((c) => {
    if (c === 'signature' || c === 'digest_bytes') return `decode(r.${c}, 'hex')`;
    if (c === 'content_hash') return ownHash('r.content_hash');
    if (PROFILE_COLUMNS.has(c)) return "''";
    return `r.${c}`;
  }).join(', ')}
           from jsonb_to_recordset(?::jsonb) as r(version_id bigint, seal_id text, content_hash text,
             digest text, digest_bytes text, signature text, profile_id integer,
             certificate_serial text, certificate_issuer text, signed_at timestamptz)
           left join license_versions v on v.version_id = r.version_id`;
  const res: unknown = await trx.raw(
    `insert into signatures (${columns}) ${source} on conflict (version_id, seal_id) do nothing returning version_id, seal_id`,
    [values],
  );
  const rows = rawRows<{
    version_id: unknown;
    seal_id: string;
  }>(res);
  return { inserted: rows.map((r) => ({ versionId: toInt(r.version_id), sealId: r.seal_id })), profiles };
}

/**
 * A (version, seal) pair given twice in one call keeps its first signature, the one auditSignatures
 * audits. Left to ON CONFLICT, the statement's join decides: PostgreSQL's handed the rows over in
 * another order and kept the last, its audit entry then binding a digest the row does not hold.
 */
function firstOfEachPair(signatures: readonly StoredSignature[]): readonly StoredSignature[] {
  const seen = new Set<string>();
  const out = signatures.filter((s) => {
    const key = `${s.versionId}\u0000${s.sealId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out.length === signatures.length ? signatures : out;
}

/**
 * SQLite: the signatures bound value by value in a `values` list (ledger/values-insert.ts says
 * why): one JSON parameter read back with `json_extract` per column took ~4.3 ms in the driver
 * for a batch of 491, the values ~2.2 ms (prepared each time; 1.5 once prepared). The statement
 * is otherwise the same: the version's own content hash compared in it, ON CONFLICT DO NOTHING,
 * a row per pair (firstOfEachPair).
 */
async function insertSignaturesSqlite(
  db: Db,
  trx: Knex.Transaction,
  signatures: readonly StoredSignature[],
  profileOf: (s: StoredSignature) => number,
): Promise<{ versionId: number; sealId: string }[]> {
  const out: { versionId: number; sealId: string }[] = [];
  // Slices of a few fixed lengths, the last row repeated to fill one (db.ts paddedRowChunks): the
  // copy finds its pair inserted and does nothing. A page's batch as one statement (491 rows,
  // ~4,900 parameters) was compiled every page, past what the connection keeps compiled; split
  // into rowChunks' powers of two, the seven statements of a batch took as long as the JSON
  // parameter's one. Two (409 rows and 128), each compiled once for the run, take neither.
  for (const part of paddedRowChunks(db, signatures, BOUND_COLUMNS.length)) {
    const bindings: (string | number | Buffer | null)[] = [];
    for (const s of part) {
      const digest = digestColumns(s.digest);
      bindings.push(
        s.versionId,
        s.sealId,
        s.contentHash,
        digest.digest,
        digest.digest_bytes ?? null,
        toBuffer(s.signature),
        profileOf(s),
        s.certificateSerial ?? null,
        s.certificateIssuer ?? null,
        s.signedAt.toISOString(),
      );
    }
    // On the transaction's connection, without knex's raw (sqlite-connection.ts says why).
    const rows = await runOnSqliteTransaction<{ version_id: unknown; seal_id: string }>(
      trx,
      sqliteInsertText(part.length),
      bindings,
    );
    for (const r of rows) out.push({ versionId: toInt(r.version_id), sealId: r.seal_id });
  }
  return out;
}

/** The columns insertSignaturesSqlite binds, in its order: `r.column1` is the version id. */
const BOUND_COLUMNS = [
  'version_id',
  'seal_id',
  'content_hash',
  'digest',
  'digest_bytes',
  'signature',
  'profile_id',
  'certificate_serial',
  'certificate_issuer',
  'signed_at',
] as const;

const sqliteTexts = new Map<number, string>();

function sqliteInsertText(count: number): string {
  let text = sqliteTexts.get(count);
  if (text === undefined) {
    const at = (c: string) => `r.column${(BOUND_COLUMNS as readonly string[]).indexOf(c) + 1}`;
    const versionHash = contentHashSql('sqlite', 'v');
    const select = SIGNATURE_COLUMNS.map((c) => {
      if (c === 'content_hash') return `case when ${versionHash} = ${at(c)} then '' else ${at(c)} end`;
      if (PROFILE_COLUMNS.has(c)) return "''";
      return at(c);
    }).join(', ');
    const row = `(${BOUND_COLUMNS.map(() => '?').join(', ')})`;
    // SQLite reads `ON CONFLICT` after a bare SELECT as a join constraint: the WHERE keeps them apart.
    text =
      `insert into signatures (${SIGNATURE_COLUMNS.join(', ')}) select ${select}` +
      ` from (values ${Array(count).fill(row).join(', ')}) as r` +
      ` left join license_versions v on v.version_id = ${at('version_id')} where true` +
      ' on conflict (version_id, seal_id) do nothing returning version_id, seal_id';
    // A batch's count varies with the page's quarantined rows: the few seen first are kept.
    if (sqliteTexts.size < 16) sqliteTexts.set(count, text);
  }
  return text;
}

const SIGNATURE_COLUMNS = [
  'version_id',
  'seal_id',
  'content_hash',
  'algorithm',
  'digest',
  'digest_bytes',
  'signature',
  'dist_id',
  'signer_kind',
  'profile_id',
  'certificate_serial',
  'certificate_issuer',
  'signed_at',
] as const;

/** Held by the row's `signature_profiles` entry, and stored '' in the signature's own row. */
const PROFILE_COLUMNS: ReadonlySet<string> = new Set(['algorithm', 'dist_id', 'signer_kind']);

export async function getSignatures(db: Db, versionIds: readonly number[]): Promise<StoredSignature[]> {
  // Planned without statistics of `signatures`, a page's ids read as half of it (pg-statistics.ts).
  await freshenStatistics(db, ['signatures', 'license_versions'], { everyMs: PAGE_STATISTICS_EVERY_MS });
  return db.read('getSignatures', async (k) => {
    const out: StoredSignature[] = [];
    for (const ids of inLists(db, [...new Set(versionIds)], 0)) {
      const rows: SignatureRow[] = await k('signatures as s')
        .leftJoin('license_versions as v', 'v.version_id', 's.version_id')
        .leftJoin('signature_profiles as p', 'p.profile_id', 's.profile_id')
        .select(
          's.*',
          k.raw(`${contentHashSql(db.dialect, 'v')} as version_content_hash`),
          'p.algorithm as profile_algorithm',
          'p.dist_id as profile_dist_id',
          'p.signer_kind as profile_signer_kind',
        )
        .whereIn('s.version_id', ids);
      out.push(...rows.map(toSignature));
    }
    return out.sort((a, b) => a.versionId - b.versionId || a.sealId.localeCompare(b.sealId));
  });
}

export async function unsignedVersionIds(
  db: Db,
  options: { sealId: string; pipeline?: string; limit?: number },
): Promise<number[]> {
  await freshenStatistics(db, ['license_versions', 'signatures']);
  return db.read('unsignedVersionIds', async (k) => {
    const q = k('license_versions as v')
      .select('v.version_id')
      .whereNotExists(function unsigned() {
        this.select(k.raw('1'))
          .from('signatures as s')
          .whereRaw('s.version_id = v.version_id')
          .andWhere('s.seal_id', options.sealId);
      })
      .orderBy('v.version_id');
    if (options.pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', options.pipeline);
    if (options.limit !== undefined) q.limit(options.limit);
    const rows: { version_id: unknown }[] = await q;
    return rows.map((r) => toInt(r.version_id));
  });
}

/**
 * The `sign` audit entries of the signatures actually inserted, in the signing transaction: one
 * entry per seal and algorithm binding its signatures (audit-batch.ts), or a signature's own entry
 * when it is alone. Only a lone signature's license is looked up, for its entry's columns.
 */
async function auditSignatures(
  db: Db,
  trx: Knex.Transaction,
  signatures: readonly StoredSignature[],
  insertedPairs: readonly { versionId: number; sealId: string }[],
): Promise<void> {
  if (insertedPairs.length === 0) return;
  // The (version, seal) pairs actually inserted; a pair given twice keeps its first signature only
  // (insertSignatures), and that one is audited.
  const pairKey = (p: { versionId: number; sealId: string }) => `${p.versionId}\u0000${p.sealId}`;
  const fresh = new Set(insertedPairs.map(pairKey));
  const inserted = signatures.filter((s) => fresh.delete(pairKey(s)));
  const groupOf = (s: StoredSignature) => `${s.sealId}\u0000${s.algorithm}`;
  const sizes = new Map<string, number>();
  for (const s of inserted) sizes.set(groupOf(s), (sizes.get(groupOf(s)) ?? 0) + 1);
  const alone = inserted.filter((s) => sizes.get(groupOf(s)) === 1).map((s) => s.versionId);
  const versions = new Map<number, { license_id: string; version: unknown }>();
  for (const ids of chunk(alone, db.maxParams)) {
    const rows: { version_id: unknown; license_id: string; version: unknown }[] = await trx(
      'license_versions',
    )
      .select('version_id', 'license_id', 'version')
      .whereIn('version_id', ids);
    for (const r of rows) versions.set(toInt(r.version_id), r);
  }
  await appendAudit(
    db,
    trx,
    batchEntries(
      inserted.map((s) => {
        const v = versions.get(s.versionId);
        return {
          versionId: s.versionId,
          tuple: [s.digest],
          single: {
            action: 'sign' as const,
            actor: `signer:${s.sealId}`,
            licenseId: v?.license_id ?? null,
            version: v ? toInt(v.version) : null,
            digest: s.digest,
            // The seal is the actor's (`signer:<seal id>`), not repeated here (migration 016).
            detail: { versionId: s.versionId, algorithm: s.algorithm },
          },
        };
      }),
      (act) => ({ algorithm: act.single.detail?.algorithm ?? null }),
    ),
  );
}
