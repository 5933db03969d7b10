/**
 * PostgreSQL: a write transaction holds the audit chain's head locked from its read to its commit
 * (ledger/audit-chain.ts), and every other writer of the chain waits for it there. Between the
 * head's read and the COMMIT goes one statement, writing the entries and the head together: each
 * round trip more was one more the other writers waited out, a busy client's turn to read the
 * answer included (the head's read waited up to ~1 s in bench/pipeline.ts on a loaded host, when
 * the entries and the head went as two statements). The chain the page writes verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';
import { recordPgStatements, statementsOf, stopRecordingPgStatements } from './pg-statements.js';

describe('the audit head held over one statement (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('ahs');

  beforeAll(async () => {
    recordPgStatements();
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
    stopRecordingPgStatements();
  });

  it("writes a page's entries and the head in one statement between the head's lock and the commit", async () => {
    const runId = uniqueName('run');
    const { texts } = await statementsOf(() =>
      commitOnePage(ledger, pipeline, runId, candidates(1, 5, { pipeline, runId })),
    );
    const locked = texts.findIndex((t) => /audit_head/.test(t) && /for update/i.test(t));
    expect(locked, texts.join('\n')).toBeGreaterThanOrEqual(0);
    const after = texts.slice(locked + 1);
    expect(after[0]).toMatch(/insert into audit_log[\s\S]*update audit_head/);
    expect(after[1]).toMatch(/^COMMIT/i);
    const check = await ledger.verifyAudit();
    expect(check.ok).toBe(true);
    expect(check.entries).toBeGreaterThanOrEqual(2);
  });
});
