/**
 * A batch entry rewritten (its hash and the head made to fit) to name far more versions than the
 * ledger holds: `audit verify` names it, and a license's history reads on, neither expanding the
 * list. `1-4000000000` ran both out of memory; the ranges here are moderate, past the bound all
 * the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { newVersions, uniqueName } from '../ledger/fixtures.js';
import { appendBatchEntry, dropLastEntry } from './tampered-copy.js';

describe('audit: a batch entry naming versions past the ledger', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let file: string;
  let licenseId: string;
  let newest: number;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    file = database.url.slice('sqlite://'.length);
    ledger = await openLedger(database.url, { logger: quietLogger });
    const ids = await newVersions(ledger, uniqueName('p'), 1, 3);
    newest = Math.max(...ids);
    licenseId = (await ledger.getVersions([Math.min(...ids)]))[0]?.licenseId as string;
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it.each([
    ['a range past the newest version id', (n: number) => `1-${n + 300_000}`],
    ['more versions in all than the ledger holds', (n: number) => `1-${n},1-${n}`],
  ])('verify names an entry with %s, and the history still reads', async (_, versions) => {
    const before = await ledger.verifyAudit();
    expect(before.ok).toBe(true);
    appendBatchEntry(file, JSON.stringify({ count: 2, versions: versions(newest) }));
    try {
      const verdict = await ledger.verifyAudit();
      expect(verdict).toMatchObject({
        ok: false,
        firstBad: { seq: before.entries + 1, kind: 'acts-differ' },
      });
      expect(verdict.ok ? undefined : verdict.firstBad.message).toMatch(
        new RegExp(`^entry ${before.entries + 1} names versions it cannot have written: .*${newest}$`),
      );
      const history = await ledger.licenseAudit(licenseId);
      expect(history?.at(-1)).toMatchObject({ seq: before.entries + 1, versions: [1] });
    } finally {
      dropLastEntry(file);
    }
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});
