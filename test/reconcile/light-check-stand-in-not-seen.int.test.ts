/**
 * A row without a key is quarantined under a stand-in key made from its fingerprint
 * (`XKZBH:missing#…`, connectors/sql/row-keys.ts, LB_SOURCE_KEY_MISSING). Once the department fills
 * the key in, the next run issues the row under its real key and no row gives that stand-in any
 * more, so no read closes its record. The light check counts such records
 * (`counts.source.standInsNotSeen`) and closes none: a stand-in also leaves the key set while its
 * row is still without a key (its content changed and no run read it: a new fingerprint), and the
 * row then fell off the worklist (after 1cd8022e). A person closes the record:
 * `licbridge quarantine resolve <key> --reason LB_SOURCE_KEY_MISSING` (ledger `resolveReason`), with
 * one operator audit entry. No count on a key set that is not the source's whole (a read that
 * failed or was stopped part-way, a source that looks shrunk). On both ledgers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const P = 'food-business-licenses';
const MISSING = 'LB_SOURCE_KEY_MISSING';
const logger = createLogger({ level: 'silent' });
/**
 * The rows left without a key: 3 is filled in and checked after a run, 5 checked by hand, 6 stays
 * keyless and is changed with no run reading it. Row 4 of this seed does not map (its holder id):
 * taken out, so every open record is a stand-in's.
 */
const KEYLESS = [3, 5, 6];

describe.each(['sqlite', 'postgres'] as const)('a keyless row given its key (%s ledger)', (backend) => {
  let ws: DemoWorkspace;
  let database: TestDatabase | undefined;
  /** The demo config keyed by XKZBH: a light check after each run. */
  let checked: Readonly<Config>;
  /** The same without the check after a run, for the checks made here by hand. */
  let unchecked: Readonly<Config>;
  /** The stand-in keys run 1 quarantined the keyless rows under. */
  let standIns: string[] = [];
  /** The stand-in key of each keyless row, found as the one its key being filled in takes away. */
  const standIn = new Map<number, string>();

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 8, seed: 3 });
    const db = new Database(ws.legacyDb);
    for (const id of KEYLESS) db.prepare('UPDATE T_SPXK_XKZ SET XKZBH = NULL WHERE ID = ?').run(id);
    db.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = 4').run();
    db.close();
    let yaml = (await readFile(ws.configFile, 'utf8')).replace('key: ID', 'key: XKZBH');
    expect(yaml).toContain('key: XKZBH');
    if (backend === 'postgres') {
      database = await postgresBackend.create();
      yaml = yaml.replace('sqlite://./data/ledger.db', database.url);
    }
    await writeFile(ws.configFile, yaml);
    const none = join(ws.dir, 'unchecked.yaml');
    await writeFile(none, `${yaml}reconcile: { afterRun: none }\n`);
    checked = await loadConfig({ file: ws.configFile, env: {} });
    unchecked = await loadConfig({ file: none, env: {} });

    // Run 1: every keyless row quarantined under its own stand-in, and the check finds no gap.
    const [first] = await runPipelines(checked, { pipelines: [P], full: false, logger });
    expect(first?.state).toBe('done');
    expect(first?.quarantineByReason).toEqual({ [MISSING]: KEYLESS.length });
    expect(first?.check).toMatchObject({ quarantined: KEYLESS.length, differences: 0 });
    const open = await withLedger(checked, (l) => l.openQuarantine({ pipeline: P }));
    expect(open.map((e) => e.reasons.map((r) => r.code))).toEqual(KEYLESS.map(() => [MISSING]));
    for (const e of open) expect(e.sourceKey).toMatch(/^XKZBH:missing#[0-9a-f]{16}$/);
    standIns = open.map((e) => e.sourceKey).sort();
  }, 120_000);

  afterAll(async () => {
    await ws?.cleanup();
    await database?.dispose();
  });

  async function sourceKeys(): Promise<string[]> {
    const rt = new Runtime(unchecked, logger);
    try {
      const parts = await rt.pipeline(P);
      const keys: string[] = [];
      for await (const chunk of parts.source.keys(parts.config.stream)) keys.push(...chunk);
      return keys;
    } finally {
      await rt.close();
    }
  }

  async function withLedger<T>(config: Readonly<Config>, use: (l: Ledger) => Promise<T>): Promise<T> {
    const rt = new Runtime(config, logger);
    try {
      return await use(await rt.ledger());
    } finally {
      await rt.close();
    }
  }

  const openKeys = async () =>
    (await withLedger(checked, (l) => l.openQuarantine({ pipeline: P }))).map((e) => e.sourceKey).sort();

  const auditSince = (seq: number) =>
    withLedger(checked, async (l) =>
      (await l.readAudit({ afterSeq: seq })).filter((e) => e.action === 'quarantine-resolve'),
    );

  const headSeq = () => withLedger(checked, async (l) => (await l.auditHeadSeq()) ?? 0);

  /** The department fills in a row's key; its update time moves, so the next run reads it. */
  async function fillKey(id: number): Promise<void> {
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET XKZBH = ?, GXSJ = '2026-06-01 00:00:00.000000' WHERE ID = ?").run(
      `JY2370211000000${id}`,
      id,
    );
    db.close();
    const keys = new Set(await sourceKeys());
    const gone = standIns.filter((k) => !keys.has(k) && ![...standIn.values()].includes(k));
    expect(gone).toHaveLength(1);
    standIn.set(id, gone[0] as string);
    if (standIn.size === 2)
      standIn.set(6, standIns.find((k) => ![...standIn.values()].includes(k)) as string);
  }

  const text = (r: Awaited<ReturnType<typeof lightCheckWith>>) =>
    textReport(r, { ...reportOptions(reconcileSettings({ config: {} })), lang: 'en' });

  it('counts the stand-in at the check after the run that issues the row, and keeps its record open', async () => {
    await fillKey(3);
    const before = await headSeq();
    const [second] = await runPipelines(checked, { pipelines: [P], full: false, logger });
    expect(second).toMatchObject({ state: 'done', created: 1, quarantined: 0 });
    // The stand-in no row gives is no difference; the rows still keyless are counted quarantined.
    // The run's summary carries the count, with no difference to show (cli/summary.ts prints it).
    expect(second?.check).toMatchObject({ quarantined: 2, differences: 0, standInsNotSeen: 1 });
    const reportId = (second?.check as { reportId?: string } | undefined)?.reportId;
    expect(reportId).toBeDefined();

    // Nothing closed, nothing audited: the check cannot tell a key filled in from a row changed.
    expect(await openKeys()).toEqual(standIns);
    const history = await withLedger(checked, (l) =>
      l.quarantineHistory({ pipeline: P, sourceKey: standIn.get(3) as string }),
    );
    expect(history.map((h) => h.resolvedAt)).toEqual([null]);
    expect(await auditSince(before)).toEqual([]);

    const [report] = await withLedger(checked, (l) => l.getReports({ reportId: reportId as string }));
    const summary = report?.summary as { counts: { source: Record<string, unknown> } } | undefined;
    expect(summary?.counts.source).toMatchObject({ quarantined: 2, standInsNotSeen: 1 });
    // The stored report names the stand-in, for a person to look up and resolve.
    expect(report?.report).toMatchObject({ standInsNotSeen: [standIn.get(3)] });
  }, 120_000);

  it('counts nothing when the key set read is not the whole source', async () => {
    await fillKey(5);
    const [third] = await runPipelines(unchecked, { pipelines: [P], full: false, logger });
    expect(third).toMatchObject({ state: 'done', created: 1 });
    expect(await openKeys()).toEqual(standIns);
    const before = await headSeq();

    // The key read fails part-way (a connection lost after the first chunk): the check fails.
    const broken = await lightCheckWith(async function* (real) {
      let n = 0;
      for await (const chunk of real) {
        if (n++ > 0) throw new Error('source market-food: connection lost');
        yield chunk;
      }
    }, 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(broken)).toContain('connection lost');

    // The source answers with a sliver of its keys (a view emptied, rights taken away): the report
    // says the source looks shrunk, and counts no stand-in on its word.
    const shrunk = await lightCheckWith(async function* (real) {
      for await (const chunk of real) {
        const kept = chunk.filter((k) => k === standIn.get(6));
        if (kept.length > 0) yield kept;
      }
    });
    expect(shrunk.sourceShrunk).toBeDefined();
    expect(shrunk.counts.source.standInsNotSeen).toBeUndefined();

    // The source stopped: the check stops.
    const stop = new AbortController();
    const stopped = await lightCheckWith(
      async function* (real) {
        for await (const chunk of real) {
          stop.abort('SIGTERM');
          yield chunk;
        }
      },
      2,
      stop.signal,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(stopped).toBe('SIGTERM');

    // The whole key set: the stand-ins of rows 3 and 5 are gone from it, counted, still open.
    const whole = await lightCheckWith(async function* (real) {
      yield* real;
    });
    expect(whole.counts.source.standInsNotSeen).toBe(2);
    const named = [standIn.get(3), standIn.get(5)].sort();
    expect(whole.standInsNotSeen).toEqual(named);
    expect(text(whole)).toContain(`stand-in keys not seen: ${named.join(', ')}`);
    const html = htmlReport(whole, { ...reportOptions(reconcileSettings({ config: {} })), lang: 'en' });
    expect(html).toContain(`stand-in keys not seen: ${named.join(', ')}`);
    expect(text(whole)).toContain(
      '2 stand-in keys of rows without a key, open on the worklist, are given by no row of the source any more',
    );
    expect(text(whole)).toContain('--reason LB_SOURCE_KEY_MISSING');
    expect(whole.differences).toBe(0);
    expect(await openKeys()).toEqual(standIns);
    expect(await auditSince(before)).toEqual([]);
  }, 120_000);

  it('keeps open the record of a row still without a key whose content changed with no run reading it', async () => {
    // An update that leaves the cursor as it was (a legacy batch job): a new fingerprint, a new
    // stand-in, and no incremental run reads the row again.
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET JYZMC = JYZMC || ' (changed)' WHERE ID = 6").run();
    db.close();
    expect(await sourceKeys()).not.toContain(standIn.get(6));
    const before = await headSeq();
    const [next] = await runPipelines(checked, { pipelines: [P], full: false, logger });
    expect(next).toMatchObject({ state: 'done', created: 0, quarantined: 0 });
    // Its new stand-in is read by nobody: `missed`. Its old record is counted, not closed.
    expect(next?.check).toMatchObject({ quarantined: 0, differences: 1 });
    expect(await openKeys()).toEqual(standIns);
    expect(await auditSince(before)).toEqual([]);
    const reportId = (next?.check as { reportId?: string } | undefined)?.reportId as string;
    const [report] = await withLedger(checked, (l) => l.getReports({ reportId }));
    const summary = report?.summary as { counts: { source: Record<string, unknown> } } | undefined;
    expect(summary?.counts.source).toMatchObject({ standInsNotSeen: 3 });
  }, 120_000);

  it('closes a stand-in on a person’s resolve, with one operator audit entry, and by its own code only', async () => {
    const before = await headSeq();
    const key = standIn.get(3) as string;
    // Another code is refused: its entries leave the worklist when their fault is fixed.
    const refused = await withLedger(checked, (l) =>
      l.resolveReason({ pipeline: P, sourceKey: key, code: 'LB_MAP_DATE' }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(String(refused)).toContain('expected a reason of LB_VERSION_LIMIT, LB_SOURCE_KEY_MISSING');
    // A code a person closes, but not the record's: nothing closed.
    expect(
      await withLedger(checked, (l) =>
        l.resolveReason({ pipeline: P, sourceKey: key, code: 'LB_VERSION_LIMIT' }),
      ),
    ).toMatchObject({ records: 0 });
    expect(await openKeys()).toEqual(standIns);
    expect(await auditSince(before)).toEqual([]);

    const done = await withLedger(checked, (l) =>
      l.resolveReason({ pipeline: P, sourceKey: key, code: MISSING }),
    );
    expect(done).toEqual({ records: 1, keptOpen: 0, licenseId: null });
    expect(await openKeys()).toEqual(standIns.filter((k) => k !== key));
    const entries = await auditSince(before);
    expect(entries.map((e) => [e.actor.startsWith('operator:'), e.licenseId])).toEqual([[true, null]]);
    expect(JSON.parse(entries[0]?.detail ?? '{}')).toEqual({
      pipeline: P,
      code: MISSING,
      records: 1,
      keptOpen: 0,
    });
    // Never the key: a source key may be an ID number.
    expect(entries[0]?.detail).not.toContain('missing#');

    // The next check counts the two left.
    const after = await lightCheckWith(async function* (real) {
      yield* real;
    });
    expect(after.counts.source.standInsNotSeen).toBe(2);
  }, 120_000);

  /** A light check whose source key set is `read` made of the real one (in chunks of `chunkSize`). */
  async function lightCheckWith(
    read: (real: AsyncIterable<string[]>) => AsyncIterable<string[]>,
    chunkSize?: number,
    signal?: AbortSignal,
  ) {
    const rt = new Runtime(unchecked, logger);
    try {
      const parts = await rt.pipeline(P);
      const real = parts.source.keys.bind(parts.source);
      parts.source.keys = (stream: StreamSpec, options?: { chunkSize?: number; signal?: AbortSignal }) =>
        read(real(stream, { ...options, ...(chunkSize ? { chunkSize } : {}) }));
      return await reconcilePipeline(rt, { pipeline: P, mode: 'light', ...(signal ? { signal } : {}) });
    } finally {
      await rt.close();
    }
  }
});
