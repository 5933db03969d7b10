/**
 * Ledger text read back as JSON that does not parse fails without quoting it: a run's quarantine
 * reasons (they show a row's values), and an audit entry's detail (reasons, delivery keys, message
 * ids) in `audit verify` and a license's audit history. V8's SyntaxError quotes the text around an
 * unexpected token, and the ledger's read error put that message into its own, which the CLI
 * prints and pino logs. A detail that does not parse, or names versions in no form the chain's
 * writer uses, is reported by `audit verify` as an entry that does not fit, not thrown.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { appendBatchEntry, dropLastEntry } from '../audit/tampered-copy.js';
import { quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';

const NAME = '欧阳秀英';
const ID = '11010519491231002X';
const PIECES = [NAME, ID, ID.slice(0, 6), ID.slice(-6)];

/** The error's message, stack and every cause's, as a CLI or a log line could show them. */
function everything(e: unknown): string {
  const out: string[] = [];
  for (let at = e, depth = 0; at !== undefined && depth < 10; depth++) {
    out.push(JSON.stringify(at, Object.getOwnPropertyNames(at)));
    at = at instanceof Error ? at.cause : undefined;
  }
  return out.join('\n');
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
}

describe('ledger JSON text that does not parse', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let file: string;
  let runId: string;
  let licenseId: string;

  const sql = <T>(run: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return run(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    database = await sqliteBackend.create();
    file = database.url.slice('sqlite://'.length);
    ledger = await openLedger(database.url, { logger: quietLogger });
    const pipeline = uniqueName('p');
    runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const page = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 2,
      candidates: candidates(1, 1, { pipeline }),
      quarantined: [{ sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
    });
    licenseId = (await ledger.getVersions(page.created.map((c) => c.versionId)))[0]!.licenseId;
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it("fails a run's quarantine reasons without quoting them", async () => {
    sql((db) =>
      db
        .prepare('update quarantine set reasons = ? where run_id = ?')
        .run(`[{"code":"LB_MAP_DATE","value":${NAME}${ID}}]`, runId),
    );
    const e = await failureOf(ledger.quarantineFor(runId));
    expect((e as Error).message).toMatch(/^ledger: quarantineFor failed: JSON text of \d+ characters /);
    for (const piece of PIECES) expect(everything(e)).not.toContain(piece);
  });

  it.each([
    ['does not parse', `{"count":2,"versions":"1",${NAME}:"${ID}"}`],
    ['names versions in no form of its writer', `{"count":2,"versions":"1,${NAME}${ID}"}`],
  ])(
    "reports an entry whose detail %s in audit verify, and fails a license's history, quoting none of it",
    async (_, detail) => {
      appendBatchEntry(file, detail);
      try {
        const verdict = await ledger.verifyAudit();
        expect(verdict.ok).toBe(false);
        expect(verdict).toMatchObject({ firstBad: { kind: 'acts-differ' } });
        for (const piece of PIECES) expect(JSON.stringify(verdict)).not.toContain(piece);

        const e = await failureOf(ledger.licenseAudit(licenseId));
        expect(e).toBeInstanceOf(Error);
        for (const piece of PIECES) expect(everything(e)).not.toContain(piece);
      } finally {
        dropLastEntry(file);
      }
      expect((await ledger.verifyAudit()).ok).toBe(true);
    },
  );
});
