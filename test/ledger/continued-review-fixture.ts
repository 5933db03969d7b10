/**
 * A license and a renewal of it (a license of its own naming version 1 of the other as
 * `previousIdentifier`), committed as a run, signed and given their deliveries: the fixture of the
 * counts of versions held behind the review of the license they continue (a run's progress,
 * held-behind-continued-review; the pipeline backlog, backlog-held-continued-review).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import type { Backend } from './backends.js';
import { candidate, commitOnePage, FIXTURE_ISSUER, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { rawKnex } from './raw-knex.js';

/** A license and a renewal of it, in a pipeline of their own. */
export function licenseAndRenewal() {
  const pipeline = uniqueName('held');
  // Identifiers take [0-9A-Z] serials: the prefix keeps the test's licenses apart.
  const prefix = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  const before = candidate({ n: 1, pipeline, prefix });
  const named = buildIdentifier({
    typeCode: '11370200MB1234567X001',
    issuerCode: FIXTURE_ISSUER,
    serial: before.licenseId.split('.').pop() as string,
    version: 1,
  });
  const plain = candidate({ n: 2, pipeline, prefix });
  const renewal: VersionCandidate = {
    ...plain,
    operation: 'renew',
    build: (v) => ({ ...plain.build(v), previousIdentifier: named }),
  };
  return { pipeline, before, renewal };
}

/** Commits `page` as a run, signs it with `seal`, makes its deliveries at `target`: run, version ids and delivery keys. */
export async function signedRun(
  ledger: Ledger,
  pipeline: string,
  page: VersionCandidate[],
  seal: string,
  target = 'province',
) {
  const runId = randomUUID();
  const ids = (await commitOnePage(ledger, pipeline, runId, page)).created.map((c) => c.versionId);
  await ledger.recordSignatures(ids.map((id) => signature(id, seal)));
  const keys = (await ledger.ensureDeliveries(ids, target)).map((d) => d.key);
  return { runId, ids, keys };
}

/**
 * Hand-edits the text of the renewal's first version to name `named` (the real member kept under
 * another name), as a text cut short or written by hand would. `raw`: a connection of the test's own.
 */
export async function renameContinued(raw: Knex, licenseId: string, named: string): Promise<void> {
  await raw('license_versions')
    .where({ license_id: licenseId, version: 1 })
    .update({
      payload: raw.raw(`replace(payload, ?, ?)`, [
        '"previousIdentifier":"',
        `"previousIdentifier":"${named}","was":"`,
      ]),
    });
}

/**
 * Inside a `describe`: a ledger of `backend` for its tests, signed runs made on it under `seal`, and
 * the renewal's first version hand-edited to name each of `names` in turn, `check` called after each.
 */
export function continuedReviewLedger(backend: Backend, seal: string) {
  const l = ledgerPerBackend(backend);
  return {
    get ledger(): Ledger {
      return l.ledger;
    },
    signedRun: (pipeline: string, page: VersionCandidate[]) => signedRun(l.ledger, pipeline, page, seal),
    async renamedEach(licenseId: string, names: readonly string[], check: (named: string) => Promise<void>) {
      const raw = rawKnex(l.database.url);
      try {
        for (const named of names) {
          await renameContinued(raw, licenseId, named);
          await check(named);
        }
      } finally {
        await raw.destroy();
      }
    },
  };
}
