/**
 * The walks of a pipeline's licenses a page at a time that the light check (after every run too),
 * the ledger's area counts and a full check of a source without bucket digests make
 * (`pipelineLicensePage`) went in the database's own order of license ids. On PostgreSQL no index
 * holds a pipeline's licenses in that order: the primary key is every pipeline's, so for one that
 * is not most of the ledger each page read every license of the pipeline through another index and
 * sorted them. They now go in byte order, each page a range of `licenses_pipeline_id_bytes_idx`
 * (migration 046), every license once, on a database collated en-US with numeric ordering (ICU
 * `en-US-u-kn-true`), whose own order of the ids is not their bytes'.
 */
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { pipelineLicensePage } from '../../ledger/reconcile-store.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { PG_URL, quietLogger } from '../ledger/backends.js';
import { commitLicenses } from '../reconcile/committed-licenses.js';

const SERIALS = ['9', '10', '100', '2', '11', '1A', 'A9', 'A10', 'Z', '99', 'B2', 'B10', '3'];
const OTHER = ['8', '12', 'A11', 'C1'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, each with whether a Sort stands above it. */
function nodes(plan: PlanNode, sorted = false): { node: PlanNode; sorted: boolean }[] {
  const below = sorted || plan['Node Type'] === 'Sort';
  return [{ node: plan, sorted }, ...(plan.Plans ?? []).flatMap((p) => nodes(p, below))];
}

const byBytes = (ids: readonly string[]): string[] =>
  [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe("the checks' walk of a pipeline a page at a time, on PostgreSQL collated en-US (ICU)", () => {
  const database = `lb_icupage_${randomBytes(5).toString('hex')}`;
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
    expect(all.some((n) => n.node['Node Type'] === 'Sort')).toBe(false);
  }
  for (const [pipeline, ids] of [
    ['food', () => food],
    ['other', () => other],
  ] as const) {
    it(`walks ${pipeline} through the byte-order index, each license once`, async () => {
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
      expect(found.length).toBeGreaterThan(1);
      for (const plan of found) expectIndexRange(plan);
      expect(walked).toEqual(byBytes(ids()));
    });
  }
});
