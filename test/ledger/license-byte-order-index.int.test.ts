/**
 * Migration 046: on a PostgreSQL database whose collation is not C, the walks of a pipeline's
 * licenses in byte order read each page as a range of `licenses_pipeline_id_bytes_idx`, which
 * holds a hash of the pipeline's name (not the name) before the id: beside a platform's listing
 * (`licensesAtTarget`), and a page at a time for the light check (after every run too), the
 * ledger's area counts and a full check of a source without bucket digests
 * (`pipelineLicensePage`). No other index held that order, so each page read every license of the
 * pipeline and sorted them; the checks' walk went in the database's own order, which no index of
 * one pipeline's licenses holds either (the primary key is every pipeline's).
 *
 * The database is made for the test with an ICU collation, en-US with numeric ordering
 * (`en-US-u-kn-true`): under plain en-US, ids of [0-9A-Z] and dots happen to sort as their bytes,
 * so a walk in the database's own order would pass unnoticed; here serial 10 sorts after 9, where
 * its bytes put it before.
 */
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licensesAtTarget, pipelineLicensePage } from '../../ledger/reconcile-store.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { commitLicenses } from '../reconcile/committed-licenses.js';
import { PG_URL, quietLogger } from './backends.js';

const M046 = MIGRATIONS.find((m) => m.name === '046-licenses-byte-order-index');
// 054 rebuilds the index 046 made (ids without their root): undone first, redone last.
const M054 = MIGRATIONS.find((m) => m.name === '054-license-order-without-root');
const SERIALS = ['9', '10', '100', '2', '11', '1A', 'A9', 'A10', 'Z', '99', 'B2', 'B10', '3'];
const OTHER = ['8', '12', 'A11', 'C1'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, each with whether a Sort stands above it. */
function nodes(plan: PlanNode, sorted = false): { node: PlanNode; sorted: boolean }[] {
  const below = sorted || plan['Node Type'] === 'Sort';
  return [{ node: plan, sorted }, ...(plan.Plans ?? []).flatMap((p) => nodes(p, below))];
}

const byBytes = (ids: readonly string[]): string[] =>
  [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('walks of a pipeline in byte order on a PostgreSQL database collated en-US (ICU)', () => {
  const database = `lb_icu_${randomBytes(5).toString('hex')}`;
  const plain = new URL(PG_URL);
  plain.pathname = `/${database}`;
  const url = new URL(plain);
  url.searchParams.set('schema', 'ledger');
  let k: Knex;
  let db: Db;
  let food: string[] = [];
  let other: string[] = [];
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];

  async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    await admin((c) =>
      c.query(
        `create database "${database}" template template0 locale_provider icu icu_locale 'en-US-u-kn-true'`,
      ),
    );
    const ledger = await openLedger(url.toString(), { logger: quietLogger });
    try {
      food = await commitLicenses(ledger, 'food', SERIALS);
      other = await commitLicenses(ledger, 'other', OTHER);
    } finally {
      await ledger.close();
    }
    k = knex({ client: 'pg', connection: plain.toString(), searchPath: ['ledger'] });
    k.on('query', (q: { sql: string; bindings?: readonly unknown[] }) =>
      seen.push({ sql: q.sql, bindings: q.bindings ?? [] }),
    );
    db = createDb({
      knex: k,
      dialect: 'postgres',
      maxParams: 65_535,
      maxRows: Number.POSITIVE_INFINITY,
      log: quietLogger,
      exclusive: noWriteLock,
    });
  });
  afterAll(async () => {
    await k?.destroy();
    await admin((c) => c.query(`drop database if exists "${database}" with (force)`));
  });

  /** The plans of the statements `scan` sent that read `licenses`, asked of PostgreSQL itself. */
  async function plans(scan: () => Promise<unknown>): Promise<PlanNode[]> {
    seen.length = 0;
    await scan();
    const selects = seen.filter((q) => /^select/i.test(q.sql) && q.sql.includes('"licenses"'));
    expect(selects.length).toBeGreaterThan(0);
    // As sent (knex has numbered the parameters): asked through a client of the test's own.
    const c = new pg.Client({ connectionString: plain.toString(), options: '-c search_path=ledger' });
    await c.connect();
    const out: PlanNode[] = [];
    try {
      // On tables too small for any plan to prefer an index by itself: a read of the whole table
      // is what the index is there to spare.
      await c.query('set enable_seqscan = off');
      for (const q of selects) {
        const res = await c.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
          `explain (format json) ${q.sql}`,
          q.bindings as unknown[],
        );
        const [explained] = res.rows[0]?.['QUERY PLAN'] ?? [];
        if (!explained) throw new Error(`no plan for ${q.sql}`);
        out.push(explained.Plan);
      }
    } finally {
      await c.end();
    }
    return out;
  }

  function expectIndexRange(plan: PlanNode): void {
    const all = nodes(plan);
    const licenses = all.filter((n) => n.node['Relation Name'] === 'licenses');
    expect(licenses.map((n) => [n.node['Node Type'], n.node['Index Name'], n.sorted])).toEqual([
      ['Index Scan', 'licenses_pipeline_id_bytes_idx', false],
    ]);
    // The index holds the pipeline's hash, not its name: the range starts at the hash.
    expect(licenses[0]?.node['Index Cond']).toMatch(/^\(\(hashtextextended\(pipeline, '0'::bigint\) = /);
    expect(all.some((n) => n.node['Node Type'] === 'Sort')).toBe(false);
  }

  it("is a database whose own order of license ids is not their bytes'", async () => {
    const own: { license_id: string }[] = await k('licenses')
      .where('pipeline', 'food')
      .orderBy('license_id')
      .select('license_id');
    expect(own.map((r) => r.license_id)).not.toEqual(byBytes(food));
  });

  it('walks the licenses at a target page by page through the index, each once, in byte order', async () => {
    const walked: string[] = [];
    const found = await plans(async () => {
      let after = '';
      for (;;) {
        const page = await licensesAtTarget(db, 'food', 'province', after, 4);
        walked.push(...page.map((l) => l.licenseId));
        if (page.length < 4) return;
        after = page[page.length - 1]?.licenseId ?? after;
      }
    });
    expect(found).toHaveLength(Math.floor(SERIALS.length / 4) + 1);
    for (const plan of found) expectIndexRange(plan);
    expect(walked).toEqual(byBytes(food));
  });

  for (const [pipeline, ids] of [
    ['food', () => food],
    ['other', () => other],
  ] as const) {
    it(`walks ${pipeline} a page at a time for the checks the same way`, async () => {
      const walked: string[] = [];
      const found = await plans(async () => {
        let after = '';
        for (;;) {
          const page = await pipelineLicensePage(db, pipeline, after, 4);
          walked.push(...page.map((l) => l.licenseId));
          if (page.length < 4) return;
          after = page[page.length - 1]?.licenseId ?? after;
        }
      });
      expect(found).toHaveLength(Math.floor(ids().length / 4) + 1);
      for (const plan of found) expectIndexRange(plan);
      expect(walked).toEqual(byBytes(ids()));
    });
  }

  it('sorts every license of the pipeline for a page without the index (undone), and has it again redone', async () => {
    const page = () => licensesAtTarget(db, 'food', 'province', '', 4);
    const analyzed = async (): Promise<number> => {
      const res = await k.raw(
        "select analyze_count from pg_stat_user_tables where schemaname = 'ledger' and relname = 'licenses'",
      );
      return Number(res.rows[0]?.analyze_count ?? 0);
    };
    await M054?.down(k);
    const before = await analyzed();
    await M046?.down(k);
    try {
      const [plan] = await plans(page);
      const licenses = nodes(plan as PlanNode).filter((n) => n.node['Relation Name'] === 'licenses');
      expect(licenses.every((n) => n.sorted)).toBe(true);
    } finally {
      await M046?.up(k);
      await M054?.up(k);
    }
    // Redone over a ledger holding licenses (an upgrade), each gathers the statistics of the
    // index's expressions, without which the planner sorts the pipeline for each page until the
    // table is next analyzed.
    expect(await analyzed()).toBe(before + 2);
    const [plan] = await plans(page);
    expectIndexRange(plan as PlanNode);
  });
});
