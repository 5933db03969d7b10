/**
 * Migration 043 (ledger/digest-column.ts), on both backends: a signature's digest in lowercase hex
 * is stored as its bytes, `digest` left ''; any other text stays as it is. Both read back as given
 * and the audit chain verifies over them. On a ledger written before 043 the rows keep their text,
 * read the same after the upgrade, and the signatures recorded after it are stored as bytes; down
 * puts the text back and up again keeps every digest.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, signature } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const SEAL = '37021100000043';
const M043 = MIGRATIONS.find((m) => m.name === '043-signature-digest-bytes');
const SINCE_043 = MIGRATIONS.slice(
  MIGRATIONS.findIndex((m) => m.name === '043-signature-digest-bytes'),
).reverse();

/** Digests as stored: the text column, and the bytes column in hex (null where none). */
async function stored(raw: Knex, ids: readonly number[]): Promise<[string, string | null][]> {
  const rows: { digest: string; digest_bytes?: unknown }[] = await raw('signatures')
    .select('*')
    .whereIn('version_id', [...ids])
    .orderBy('version_id');
  return rows.map((r) => [
    r.digest,
    r.digest_bytes instanceof Uint8Array ? Buffer.from(r.digest_bytes).toString('hex') : null,
  ]);
}

describe.each(BACKENDS)('migration 043, signature digests as bytes ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let before: number[] = [];
  let after: number[] = [];
  // A digest as every signer writes it, one in capitals, one of odd length, one that is not hex.
  const digests = ['0f'.repeat(32), 'AB'.repeat(32), 'abc', 'd-1'];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    before = await newVersions(ledger, 'm043-before', 1, 2);
    await ledger.recordSignatures(
      before.map((id, i) => ({ ...signature(id, SEAL), digest: digests[i] as string })),
    );
    await ledger.close();
    // The schema of the previous release, its rows as that release wrote them (digests as text).
    raw = rawKnex(database.url);
    for (const m of SINCE_043) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    after = await newVersions(ledger, 'm043-after', 1, 4);
    await ledger.recordSignatures(
      after.map((id, i) => ({ ...signature(id, SEAL), digest: digests[i] as string })),
    );
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps the rows written before as they were, and reads them the same', async () => {
    expect(await stored(raw, before)).toEqual([
      [digests[0], null],
      [digests[1], null],
    ]);
    expect((await ledger.getSignatures(before)).map((s) => s.digest)).toEqual(digests.slice(0, 2));
  });

  it('stores a lowercase hex digest as its bytes, any other text as it is; each reads back as given', async () => {
    expect(await stored(raw, after)).toEqual([
      ['', digests[0]],
      [digests[1], null],
      [digests[2], null],
      [digests[3], null],
    ]);
    expect((await ledger.getSignatures(after)).map((s) => s.digest)).toEqual(digests);
  });

  it('verifies the audit chain over both forms', async () => {
    const verified = await ledger.verifyAudit();
    expect(verified.ok).toBe(true);
  });

  it('goes down to the text and up again, every digest the same', async () => {
    await ledger.close();
    await M043?.down(raw);
    expect((await stored(raw, after)).map(([text]) => text)).toEqual(digests);
    await M043?.up(raw);
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect((await ledger.getSignatures([...before, ...after])).map((s) => s.digest)).toEqual([
      ...digests.slice(0, 2),
      ...digests,
    ]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});
