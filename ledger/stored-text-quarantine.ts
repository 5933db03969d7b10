/**
 * A version the sign or deliver stage could not sign or send, as its stored license text is
 * corrupt (it does not read, or no longer matches the content hash its version and signature
 * record): quarantined `LB_STORED_TEXT` in the job's run, as a reconcile repair quarantines one it
 * could not end (repair-quarantine.ts, the same records and dedup), and audited as `quarantine`.
 *
 * Once: a version an open record of its key speaks of already (the next run's sweep queues the
 * unsigned version again, a replayed dead letter meets the same text) gets no second reason and no
 * second entry; another version of the license found corrupt gets its own.
 */
import type { Knex } from 'knex';
import { appendAudit } from './audit-chain.js';
import type { CorruptStoredText } from './audit-types.js';
import { chunk, type Db, nowIso, toInt } from './db.js';
import { quarantineStoredText } from './repair-quarantine.js';

/** A version of a sign or deliver job found with a corrupt stored text. */
export interface StageStoredText {
  versionId: number;
  /** What is wrong with the text (pipelines/reconcile/stored-text.ts), never a value of it. */
  problem: string;
}

export interface StageStoredTextInput {
  /** The job's pipeline and run: the records are the run's, counted with it. */
  pipeline: string;
  runId: string;
  stage: 'sign' | 'deliver';
  /** `signer:<seal id>` or `target:<name>`, as the stage's other entries name it. */
  actor: string;
  /** The target a deliver job sends to. */
  target?: string;
  corrupt: readonly StageStoredText[];
}

/** A version quarantined (or found quarantined already, `fresh` false), with the run that created it. */
export interface QuarantinedStoredText extends CorruptStoredText {
  versionId: number;
  /** The run that wrote the version: one still `running` cannot be done while it stays unsigned. */
  createdBy: string;
  fresh: boolean;
}

/**
 * What a deliver job's reasons say it left undone. Records written already carry it, so it stays
 * as it reads; which stage a reason is of is written with it (quarantine-stage.ts).
 */
export const DELIVERY_DEAD_LETTERED = 'its delivery is dead-lettered';

/** What each stage's reason says it left undone, and what does it once the text is restored. */
export const STAGE_SAID = {
  sign: {
    stage: 'sign',
    consequence:
      'so it was not signed: a signature over it would vouch for a license no one issued as it reads; it is not delivered either',
    after:
      'once its text is restored, the next run signs and delivers it (`licbridge run` sweeps unsigned versions)',
  },
  deliver: {
    stage: 'deliver',
    consequence: `so it was not sent: the platform would receive a license its signature does not cover; ${DELIVERY_DEAD_LETTERED}`,
    // A replay leaves a dead letter dead behind a later version accepted at its target
    // (pipelines/dead-letters-taken.ts supersededBy); the record closes then too.
    after:
      'once its text is restored, `licbridge dlq replay` sends it, unless a later version of the license is accepted at that target by then (a replay then leaves it unsent)',
  },
} as const;

export async function quarantineStageStoredText(
  db: Db,
  input: StageStoredTextInput,
): Promise<QuarantinedStoredText[]> {
  if (input.corrupt.length === 0) return [];
  const problems = new Map(input.corrupt.map((c) => [c.versionId, c.problem]));
  const rows = await db.read('storedTextVersions', (k) => versionRows(k, db, [...problems.keys()]));
  const found = rows.map((r) => ({
    versionId: toInt(r.version_id),
    licenseId: r.license_id,
    version: toInt(r.version),
    sourceKey: r.source_key,
    createdBy: r.run_id,
    problem: problems.get(toInt(r.version_id)) ?? 'its stored text does not read',
  }));
  if (found.length === 0) return [];
  const written = await db.write('quarantineStoredText', async (trx) => {
    const now = nowIso();
    const fresh = await quarantineStoredText(
      trx,
      db,
      { pipeline: input.pipeline, runId: input.runId },
      found,
      now,
      // Not in the run's `quarantined_count`, which counts rows read: the run's failure (sign) or
      // the dead letter (deliver) is what its summary shows, the record what the worklist does.
      { ...STAGE_SAID[input.stage], countWithRun: false },
    );
    // Audit chain (audit-chain.ts): same transaction, taken last. Ids only, never the text.
    await appendAudit(
      db,
      trx,
      found
        .filter((f) => fresh.has(f))
        .map((f) => ({
          action: 'quarantine' as const,
          actor: input.actor,
          licenseId: f.licenseId,
          version: f.version,
          detail: {
            runId: input.runId,
            pipeline: input.pipeline,
            code: 'LB_STORED_TEXT',
            stage: input.stage,
            ...(input.target === undefined ? {} : { target: input.target }),
          },
        })),
    );
    return fresh;
  });
  return found.map((f) => ({ ...f, fresh: written.has(f) }));
}

async function versionRows(
  k: Knex,
  db: Db,
  versionIds: readonly number[],
): Promise<
  { version_id: unknown; license_id: string; version: unknown; source_key: string; run_id: string }[]
> {
  const out = [];
  for (const part of chunk(versionIds, db.maxParams))
    out.push(
      ...(await k('license_versions as v')
        .join('licenses as l', 'l.license_id', 'v.license_id')
        .whereIn('v.version_id', part)
        .select('v.version_id', 'v.license_id', 'v.version', 'l.source_key', 'v.run_id')
        .orderBy('v.version_id')),
    );
  return out;
}
