/**
 * A PostgreSQL ledger behind a network that drops packets: no reset, no error, the query's answer
 * never comes. node-postgres waits for it as long as TCP does (hours), and the retry budget counts
 * errors only, so a ledger call hung past `ledger.retryBudgetMs` and any command with it. Each
 * statement now has `ledger.queryTimeoutMs` to answer: past it the connection is dropped and the
 * call retried on a fresh one, within its budget; a write settles as a lost COMMIT does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { outcomeWithin } from '../support/silent-proxy.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { newLicense, uniqueName } from './fixtures.js';
import { type PgSilencer, startPgSilencer, throughSilencer } from './pg-silencer.js';

/** Short, so the tests are quick; a statement of these tests answers in milliseconds. */
const QUERY_TIMEOUT_MS = 1000;
/** Far past what a bounded call takes here, far short of what a hung one waits. */
const HUNG_MS = 40_000;

describe('a ledger read whose database goes silent (postgres)', () => {
  let database: TestDatabase;
  let silencer: PgSilencer;

  beforeAll(async () => {
    database = await postgresBackend.create();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function open(retryBudgetMs: number): Promise<Ledger> {
    silencer = await startPgSilencer(new URL(PG_URL));
    return openLedger(throughSilencer(database.url, silencer), {
      logger: quietLogger,
      retryBudgetMs,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    });
  }

  it('fails, retryable, once its retry budget is spent, instead of waiting for TCP', async () => {
    // A budget of five limits: opening and starting the run go through the same limit and budget
    // before the silence, and a pause of the process under a full suite outlasts one limit (the
    // timer fires on waking, before the answer already there is read); 1.5 s left half a second
    // for the retry. Spent, it is still far short of HUNG_MS.
    const ledger = await open(5 * QUERY_TIMEOUT_MS);
    try {
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline: uniqueName('p'), mode: 'incremental' });
      silencer.silence();

      const outcome = await outcomeWithin(HUNG_MS, ledger.getRun(runId));

      expect(outcome).not.toBe('hung');
      expect(isLicbridgeError(outcome) && outcome.code).toBe('LB_LEDGER');
      expect(isLicbridgeError(outcome) && outcome.retryable).toBe(true);
    } finally {
      silencer.speak();
      await outcomeWithin(HUNG_MS, ledger.close());
      await silencer.close();
    }
  }, 60_000);

  it('is not opened, retryable, when the database takes the connection and never answers', async () => {
    // Every command opens the ledger first: a start against a silent database waited for the
    // pool's own limit on creating a connection (30 s), whatever the config said.
    silencer = await startPgSilencer(new URL(PG_URL));
    try {
      silencer.silence();
      const opening = openLedger(throughSilencer(database.url, silencer), {
        logger: quietLogger,
        retryBudgetMs: 0,
        queryTimeoutMs: QUERY_TIMEOUT_MS,
      });

      const outcome = await outcomeWithin(20 * QUERY_TIMEOUT_MS, opening);

      expect(outcome).not.toBe('hung');
      expect(isLicbridgeError(outcome) && outcome.code).toBe('LB_LEDGER');
      expect(isLicbridgeError(outcome) && outcome.retryable).toBe(true);
    } finally {
      await silencer.close();
    }
  }, 60_000);

  it('answers from a fresh connection once the database answers again (a failover)', async () => {
    const ledger = await open(30_000);
    try {
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline: uniqueName('p'), mode: 'incremental' });
      silencer.silence();

      const reading = ledger.getRun(runId);
      // The old connections stay silent for good; new ones reach the database.
      setTimeout(() => silencer.speak(), 2 * QUERY_TIMEOUT_MS);
      const outcome = await outcomeWithin(HUNG_MS, reading);

      expect(outcome).toMatchObject({ runId });
    } finally {
      await outcomeWithin(HUNG_MS, ledger.close());
      await silencer.close();
    }
  }, 60_000);
});

describe('a ledger write whose database goes silent (postgres)', () => {
  let database: TestDatabase;
  let silencer: PgSilencer;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    silencer = await startPgSilencer(new URL(PG_URL));
    ledger = await openLedger(throughSilencer(database.url, silencer), {
      logger: quietLogger,
      retryBudgetMs: 30_000,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    await outcomeWithin(HUNG_MS, ledger?.close());
    await silencer?.close();
    await database?.dispose();
  });

  /** A simple query ('Q') whose text is COMMIT, as knex ends a transaction. */
  const COMMIT = /^Q[\s\S]{4}COMMIT;?\0$/;

  /** Opens an objection with `statement` silenced as `when` says; the objections then stored. */
  async function objectionSilenced(statement: RegExp, when: 'dropped' | 'answer-lost') {
    const licenseId = await newLicense(ledger);
    const silencedBefore = silencer.silenced;
    silencer.arm(statement, when);
    const opened = await outcomeWithin(
      HUNG_MS,
      ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:test' }),
    );
    expect(silencer.silenced).toBe(silencedBefore + 1);
    expect(opened).toMatchObject({ licenseId });
    const stored = await ledger.listObjections({ licenseId });
    return { opened: opened as { objectionId: string }, stored };
  }

  it('one whose COMMIT never reached the server is written once', async () => {
    const { opened, stored } = await objectionSilenced(COMMIT, 'dropped');
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);

  it('one whose COMMIT was answered unheard is written once, and returns what it wrote', async () => {
    const { opened, stored } = await objectionSilenced(COMMIT, 'answer-lost');
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);

  it('one silenced mid-transaction, its session holding the audit head locked, is written once', async () => {
    // The server keeps the abandoned session idle in its transaction with the audit chain's head
    // row locked; the retry's own lock on it waited until the query timeout, try after try.
    const { opened, stored } = await objectionSilenced(/insert into audit_log/, 'dropped');
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  }, 60_000);
});
