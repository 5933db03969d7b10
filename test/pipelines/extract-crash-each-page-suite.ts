/**
 * A process that dies right after any page of a run is committed (before its sign job is queued),
 * while the legacy system changes rows between a page's read and its commit: the run taken up by
 * a fresh process, and a signer's batch lost between its signatures and their record, leave the
 * ledger as one clean pass would. Each license holds its versions 1..n once, no two in a row
 * alike; each revocation the source made is one `revoke` version; each version has one
 * signature; and each row that maps is its license's latest version. Both ledgers, a file for
 * each: ./extract-crash-each-page.int.test.ts (SQLite), ./extract-crash-each-page-postgres.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import type { Ledger, StoredVersion } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { signVersions } from '../../pipelines/stages/sign.js';
import type { Backend, TestDatabase } from '../ledger/backends.js';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 45;
const PAGE = 10;

/** Thrown where the process died: nothing after it in that process runs. */
class Killed extends Error {}

/** The cases on one ledger backend: a file for each, so that the two run side by side. */
export function describeKilledRuns(backend: Backend): void {
  describe(`a run killed after a committed page (${backend.name})`, () => {
    // One demo workspace (catalog, mappings, seal key, the legacy table as generated) for the cases;
    // each case gets its own copy of the legacy table, ledger and queue prefix, so it starts as a
    // fresh workspace would. Generating the table and key, migrating a SQLite ledger and starting
    // the workspace's simulator (which no case here delivers to) cost ~0.1 s of CPU a case.
    let ws: DemoWorkspace | undefined;
    let generated: string;
    let demoConfig: string;
    let database: TestDatabase | undefined;
    let ledgerFile: string | undefined;
    let prefix: string | undefined;
    let cases = 0;
    const runtimes: Runtime[] = [];
    beforeAll(async () => {
      ws = await createDemoWorkspace({ rows: ROWS });
      generated = join(ws.dir, 'data', 'legacy-generated.db');
      await copyFile(ws.legacyDb, generated);
      demoConfig = await readFile(ws.configFile, 'utf8');
    });
    afterEach(async () => {
      for (const rt of runtimes.splice(0)) await rt.close();
      await database?.dispose();
      if (ledgerFile !== undefined) unmarkSqliteLedger(ledgerFile);
      if (prefix !== undefined) await obliterate(prefix);
      database = undefined;
      ledgerFile = undefined;
      prefix = undefined;
    });
    afterAll(async () => {
      await ws?.cleanup();
      ws = undefined;
    });

    /** A fresh workspace's config, legacy table and ledger for this case, in the shared folder. */
    async function freshCase(dir: string): Promise<{ configFile: string; legacyDb: string }> {
      cases += 1;
      const legacyDb = join(dir, 'data', `legacy-${cases}.db`);
      await copyFile(generated, legacyDb);
      prefix = `test-${randomUUID()}`;
      let ledgerUrl: string;
      if (backend.name === 'postgres') {
        database = await backend.create();
        ledgerUrl = database.url;
      } else {
        // Filled from the script of what the migrations leave (test/ledger/sqlite-ledger-template.ts).
        ledgerFile = join(dir, 'data', `ledger-${cases}.db`);
        await markSqliteLedger(ledgerFile);
        ledgerUrl = `sqlite://${ledgerFile}`;
      }
      const text = demoConfig
        .replace('sqlite://./data/ledger.db', ledgerUrl)
        .replace('path: ./data/legacy.db', `path: ./data/legacy-${cases}.db`)
        .replace(`prefix: ${ws?.prefix}`, `prefix: ${prefix}`);
      expect(text).not.toContain('./data/ledger.db');
      expect(text).not.toContain('./data/legacy.db');
      expect(text).not.toContain(`${ws?.prefix}`);
      const configFile = join(dir, `licbridge-${cases}.yaml`);
      await writeFile(configFile, text);
      return { configFile, legacyDb };
    }

    /** A process of the workspace's config: its own runtime, ledger connection and signer. */
    async function startProcess(file: string) {
      const config = await loadConfig({ file, env: {} });
      const rt = new Runtime(config, createLogger({ level: 'silent' }));
      runtimes.push(rt);
      const opened = await rt.pipeline(PIPELINE);
      const parts = { ...opened, config: { ...opened.config, pageSize: PAGE } };
      const ledger = await rt.ledger();
      const sealId = sealIdOf(config, parts.config);
      const unit = { code: parts.signerUnit, pipeline: PIPELINE };
      return {
        rt,
        parts,
        ledger,
        /** Extracts the run; `killAt`: the process dies once that page is committed. */
        extract: (runId: string, full: boolean, l: Ledger = ledger, killAt?: number) => {
          let pages = 0;
          return extractPipeline(parts, l, {
            runId,
            full,
            logger: rt.logger,
            onPage: async () => {
              pages += 1;
              if (pages === killAt) throw new Killed();
            },
          });
        },
        /** Signs what is unsigned; `lose`: the process dies with the signer's answer in hand. */
        sign: async (lose = false) => {
          const ids = await ledger.unsignedVersionIds({ sealId, pipeline: PIPELINE });
          if (ids.length === 0) return;
          const signing = lose
            ? overriding(ledger, {
                recordSignatures: async () => {
                  throw new Killed();
                },
              })
            : ledger;
          await signVersions(parts.signer, sealId, signing, ids, unit);
        },
      };
    }

    /** A run killed after page `killAt`, taken up by a fresh process, whose sign batch is lost once. */
    async function killedRun(file: string, full: boolean, killAt: number, l?: (x: Ledger) => Ledger) {
      const first = await startProcess(file);
      const runId = randomUUID();
      await first.ledger.startRun({ runId, pipeline: PIPELINE, mode: full ? 'full' : 'incremental' });
      const killed = await first.extract(runId, full, l ? l(first.ledger) : first.ledger, killAt).then(
        () => false,
        (e: unknown) => {
          if (e instanceof Killed) return true;
          throw e;
        },
      );
      const second = await startProcess(file);
      await second.extract(runId, full);
      await second.sign(true).catch((e: unknown) => {
        if (!(e instanceof Killed)) throw e;
      });
      await second.sign();
      return { runId, second, killed };
    }

    async function allVersions(ledger: Ledger): Promise<StoredVersion[]> {
      const out: StoredVersion[] = [];
      for (let after = 0; ; ) {
        const page = await ledger.versionPage({ afterVersionId: after, limit: 500 });
        if (page.length === 0) return out;
        out.push(...page);
        after = (page[page.length - 1] as StoredVersion).versionId;
      }
    }

    it.each([1, 3, 5])(
      'after page %i: the ledger is as one clean pass leaves it',
      async (killAt) => {
        if (!ws) throw new Error('no workspace');
        const { configFile, legacyDb } = await freshCase(ws.dir);
        const full = await killedRun(configFile, true, killAt);
        expect(full.killed).toBe(true);
        // Every row counted once in the run, the pages committed before the kill not read again.
        const run = await full.second.ledger.getRun(full.runId);
        expect(run).toMatchObject({ read: ROWS, unchanged: 0 });
        expect((run?.created ?? 0) + (run?.quarantined ?? 0)).toBe(ROWS);
        // The day's changes, and more of them made between the next run's first page read and its commit.
        const day = await applyLegacyChanges(legacyDb, { seed: 2 });
        let commits = 0;
        let meanwhile: Awaited<ReturnType<typeof applyLegacyChanges>> | undefined;
        const changing = (l: Ledger) =>
          overriding(l, {
            commitPage: async (input: Parameters<Ledger['commitPage']>[0]) => {
              commits += 1;
              if (commits === 1) meanwhile = await applyLegacyChanges(legacyDb, { seed: 3 });
              return l.commitPage(input);
            },
          });
        expect((await killedRun(configFile, false, Math.min(killAt, 2), changing)).killed).toBe(true);
        expect(meanwhile).toBeDefined();
        // What the changes made meanwhile left for a later run, if anything.
        const { second } = await killedRun(configFile, false, 1);

        const versions = await allVersions(second.ledger);
        const byLicense = new Map<string, StoredVersion[]>();
        for (const v of versions) byLicense.set(v.licenseId, [...(byLicense.get(v.licenseId) ?? []), v]);
        for (const [licenseId, list] of byLicense) {
          list.sort((a, b) => a.version - b.version);
          expect(
            list.map((v) => v.version),
            licenseId,
          ).toEqual(list.map((_, i) => i + 1));
          for (let i = 1; i < list.length; i++)
            expect((list[i] as StoredVersion).contentHash, licenseId).not.toBe(
              (list[i - 1] as StoredVersion).contentHash,
            );
        }
        // Each version signed once, by the pipeline's seal.
        const signatures = await second.ledger.getSignatures(versions.map((v) => v.versionId));
        expect(signatures.map((s) => s.versionId).sort((a, b) => a - b)).toEqual(
          versions.map((v) => v.versionId).sort((a, b) => a - b),
        );
        // Each row the source now holds, mapped as a run maps it, is its license's latest version.
        const source = new Database(legacyDb, { readonly: true });
        const rows = source.prepare('select * from T_SPXK_XKZ').all() as Record<string, unknown>[];
        source.close();
        const latest = new Map<string, StoredVersion>();
        for (const list of byLicense.values()) {
          const last = list[list.length - 1] as StoredVersion;
          latest.set(last.lineage.sourceKey, last);
        }
        let mapped = 0;
        for (const row of rows) {
          const values = Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
          ) as Record<string, string | number | null>;
          const result = second.parts.mapper({ key: String(row.ID), values }, 'check');
          if (!result.ok) continue;
          mapped += 1;
          expect(latest.get(String(row.ID))?.contentHash, `row ${String(row.ID)}`).toBe(
            result.candidate.contentHash,
          );
        }
        expect(mapped).toBeGreaterThan(ROWS / 2);
        // Each revocation the source made is one `revoke` version of its license.
        let revoked = 0;
        for (const key of [...day.revoked, ...(meanwhile?.revoked ?? [])]) {
          const list = [...byLicense.values()].find((l) => l[0]?.lineage.sourceKey === key) ?? [];
          if (list.length === 0) continue;
          revoked += 1;
          expect(
            list.filter((v) => v.operation === 'revoke'),
            `row ${key}`,
          ).toHaveLength(1);
        }
        expect(revoked).toBeGreaterThan(0);
      },
      120_000,
    );
  });
}
