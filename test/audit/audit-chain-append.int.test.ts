/**
 * Appending to the audit chain across several transactions on a real SQLite ledger: sequence
 * numbers continue from the head, a missing head row stops the write, and the operator actor
 * names who ran a command.
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { versionIdsOf } from '../../ledger/audit-batch.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates, signature, uniqueName } from '../ledger/fixtures.js';

describe('audit chain appends across transactions', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('append');
  let runId: string;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  const commit = (from: number, count: number) =>
    ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(from) }),
      rowsRead: count,
      candidates: candidates(from, count, { pipeline }),
      quarantined: [],
    });

  it('numbers entries of later pages on from the head, and the chain verifies', async () => {
    await commit(1, 3);
    const afterFirst = (await ledger.readAudit({ limit: 1000 })).map((e) => e.seq);
    await commit(4, 2);
    await commit(6, 2);
    const seqs = (await ledger.readAudit({ limit: 1000 })).map((e) => e.seq);
    expect(seqs.length).toBeGreaterThan(afterFirst.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await ledger.verifyAudit()).toMatchObject({
      ok: true,
      entries: seqs.length,
      headSeq: seqs.length,
    });
  });

  it('audits each (version, seal) signature actually recorded, one entry per seal', async () => {
    const page = await commit(40, 3);
    const [a, b, c] = page.created.map((v) => v.versionId) as [number, number, number];
    await ledger.recordSignatures([signature(a, 'seal-old')]);
    const before = (await ledger.readAudit({ limit: 1000 })).length;
    // One version signed by two seals in one batch, and a pair the ledger holds already.
    expect(
      await ledger.recordSignatures([
        signature(a, 'seal-new'),
        signature(b, 'seal-new'),
        signature(a, 'seal-old', 99),
        signature(a, 'seal-two'),
        signature(c, 'seal-new'),
      ]),
    ).toBe(4);
    const sign = (await ledger.readAudit({ limit: 1000 })).slice(before).filter((e) => e.action === 'sign');
    expect(sign.map((e) => [e.actor, versionIdsOf(e)])).toEqual([
      ['signer:seal-new', [a, b, c]],
      ['signer:seal-two', [a]],
    ]);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });

  it('records what each act was about: license, version, content hash and ids', async () => {
    const page = await commit(30, 1);
    const [created] = page.created;
    const entries = await ledger.readAudit({ limit: 1000 });
    const issue = entries.find((e) => e.action === 'issue' && e.licenseId === created?.licenseId);
    const [version] = await ledger.getVersions([created?.versionId as number]);
    expect(issue).toMatchObject({ licenseId: created?.licenseId, version: 1, digest: version?.contentHash });
    expect(JSON.parse(issue?.detail as string)).toEqual({ runId, versionId: created?.versionId });
    const read = entries.filter((e) => e.action === 'read').at(-1);
    expect(read).toMatchObject({ licenseId: null, version: null, digest: null });
    expect(JSON.parse(read?.detail as string)).toEqual({ runId, rows: 1, quarantined: 0 });
  });

  it('refuses to write when the chain head row is gone, and the act is not recorded either', async () => {
    const file = database.url.slice('sqlite://'.length);
    const before = (await ledger.readAudit({ limit: 1000 })).length;
    const db = new Database(file);
    db.prepare('DELETE FROM audit_head').run();
    db.close();
    await expect(commit(20, 1)).rejects.toThrow(/audit: the chain head row is missing \(table audit_head\)/);
    expect((await ledger.readAudit({ limit: 1000 })).length).toBe(before);
  });
});

describe('operatorActor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prefers LICBRIDGE_ACTOR, then USER, then USERNAME, else unknown', () => {
    vi.stubEnv('LICBRIDGE_ACTOR', 'ops-a');
    vi.stubEnv('USER', 'user-b');
    vi.stubEnv('USERNAME', 'name-c');
    expect(operatorActor()).toBe('operator:ops-a');
    vi.stubEnv('LICBRIDGE_ACTOR', undefined);
    expect(operatorActor()).toBe('operator:user-b');
    vi.stubEnv('USER', undefined);
    expect(operatorActor()).toBe('operator:name-c');
    vi.stubEnv('USERNAME', undefined);
    expect(operatorActor()).toBe('operator:unknown');
  });

  it('takes a variable set but empty as unset: never records `operator:` with no account', () => {
    // `LICBRIDGE_ACTOR=` in a unit file or a shell clears it rather than naming an account.
    vi.stubEnv('LICBRIDGE_ACTOR', '');
    vi.stubEnv('USER', 'user-b');
    vi.stubEnv('USERNAME', 'name-c');
    expect(operatorActor()).toBe('operator:user-b');
    vi.stubEnv('USER', '');
    expect(operatorActor()).toBe('operator:name-c');
    vi.stubEnv('USERNAME', '');
    expect(operatorActor()).toBe('operator:unknown');
  });

  it('refuses an actor holding a control, line break or bidi character, naming the variable', () => {
    vi.stubEnv('USER', 'user-b');
    for (const [actor, code] of [
      ['clerk-9\u202eevil', 'U+202E at character 8'],
      ['clerk-9\u001b[2K', 'U+001B at character 8'],
      ['clerk-9\n99  revoke', 'U+000A at character 8'],
      ['clerk\u20289', 'U+2028 at character 6'],
      ['clerk\u009b9', 'U+009B at character 6'],
    ]) {
      vi.stubEnv('LICBRIDGE_ACTOR', actor);
      expect(() => operatorActor()).toThrow(
        expect.objectContaining({
          code: 'LB_CONFIG_INVALID',
          message: expect.stringContaining(`\`LICBRIDGE_ACTOR\``),
        }),
      );
      expect(() => operatorActor()).toThrow(code);
    }
    vi.stubEnv('LICBRIDGE_ACTOR', undefined);
    vi.stubEnv('USER', 'user\u2066b');
    expect(() => operatorActor()).toThrow(/`USER` .*U\+2066 at character 5/);
    // Names in any script, with an ideographic space, are accounts as written.
    vi.stubEnv('LICBRIDGE_ACTOR', '张\u3000三 (窗口 3)');
    expect(operatorActor()).toBe('operator:张\u3000三 (窗口 3)');
  });
});
