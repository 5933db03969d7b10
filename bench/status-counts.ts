/**
 * What `licbridge status` and a `/metrics` scrape read from the ledger, at N versions (default
 * 500,000; 4 in 5 of pipeline `bench-a`, of which 1 in 8 is not signed yet, as while a run signs;
 * the rest of `bench-b`, all signed; the signed ones delivered to two targets, mostly accepted,
 * some pending, in review or dead; 2 in 3 with a license file), on SQLite and PostgreSQL: the kept counts
 * (ledger/status-counts.ts) against the grouped counts over every row that they replace, and the
 * backlog against the queries it made before (per target, over every signed version), measured in
 * the same run on the same data (the baseline); the backlog's versions held behind a review, read
 * from the open reviews, against the read by the pipeline's versions before, both counting the
 * renewals (1 in 20 versions continues another license, half of them a renewal) held behind the
 * review of the license they continue, and checked to give the same count; the overdue reads
 * of status (`overdueChanges`, `overdueDeliveries`) against the queries they made before migration
 * 059. Then the cost the
 * counts add to the delivery hot path: batches of 500 outcomes (`recordDeliveryOutcomes`, pending → submitted), taking turns with
 * the counts' triggers on and off (disabled on PostgreSQL, dropped and made again on SQLite). Last,
 * the overdue reads again once all but 1 in 100 of the deliveries left open are accepted: what a
 * ledger whose platforms take what is sent holds (1 delivery in 800 open).
 * Prints a table per ledger and ends with one JSON line.
 *
 * `node dist-bench/bench/status-counts.js [versions] [--ledger sqlite,postgres] [--batches 10] [--explain]`
 * (`--explain`: the plans of the backlog's reads of the versions held behind a review, before and
 * after, and of the deliveries of the versions awaiting the seal)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { createLogger } from '../core/logger.js';
import { heldBehindReviewQuery } from '../ledger/backlog.js';
import { whereHashedKey } from '../ledger/hashed-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { deliveryKey } from '../ledger/rows.js';
import { createStatusCountTriggers, dropStatusCountTriggers } from '../ledger/status-count-triggers.js';
import { fullCount } from '../ledger/status-counts.js';
import {
  oldHeldBehindReview,
  oldInReview,
  oldOverdueChanges,
  oldOverdueDeliveries,
  oldUndelivered,
  oldUnsigned,
} from './support/old-status-reads.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const VERSIONS = Number(args.find((a) => /^\d+$/.test(a)) ?? 500_000);
const LEDGERS = (flag('--ledger') ?? 'sqlite,postgres').split(',');
const BATCHES = Number(flag('--batches') ?? 10);
const EXPLAIN = args.includes('--explain');
const BATCH = 500;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SEAL = 'bench-seal';
const TARGETS = ['province', 'city'];
const log = createLogger({ level: 'silent' });

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function best<T>(rounds: number, f: () => Promise<T>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await f();
    min = Math.min(min, ms(t));
  }
  return min;
}

/** The plans of the held reads before and after, and of the deliveries of the versions awaiting the seal. */
async function explain(k: Knex, pg: boolean): Promise<void> {
  const unsignedDeliveries = k('license_versions as v')
    .join('deliveries as d', 'd.version_id', 'v.version_id')
    .modify((q) => whereHashedKey(k, q, 'v.pipeline', 'bench-a'))
    .whereNotExists(function unsigned() {
      this.select(k.raw('1'))
        .from('signatures as s')
        .whereRaw('s.version_id = v.version_id')
        .andWhere('s.seal_id', SEAL);
    })
    .groupBy('d.target', 'd.state')
    .select('d.target', 'd.state')
    .count({ n: '*' });
  const reads: [string, Knex.QueryBuilder][] = [
    ['held, before', oldHeld(k, 'bench-a', 'province')],
    ['held, after', heldBehindReviewQuery(k, 'bench-a', SEAL, 'province').first()],
    ['deliveries awaiting the seal', unsignedDeliveries],
  ];
  for (const [name, q] of reads) {
    const { sql, bindings } = q.toSQL();
    const plan = await k.raw(
      `${pg ? 'explain (analyze, buffers off, costs off)' : 'explain query plan'} ${sql}`,
      [...bindings],
    );
    const lines: string[] = pg
      ? plan.rows.map((r: Record<string, string>) => r['QUERY PLAN'])
      : plan.map((r: { id: number; parent: number; detail: string }) => `${r.parent}/${r.id} ${r.detail}`);
    console.log(`-- ${name} (${pg ? 'postgres' : 'sqlite'})\n${lines.join('\n')}`);
  }
}

/**
 * The text of version i: the versions left pending (i % 40 in 2, 5) continue another license, 1 in
 * 20 of all. Each of i % 40 = 5 names version 1 of license i − 2, in review; each of i % 40 = 2
 * names license i + 3, such a renewal itself: a renewal of a renewal. Licenses of both pipelines.
 */
const RENEWAL = `case when i % 40 = 5 then '{"previousIdentifier":"L' || (i - 2) || '.001.F"}'
  when i % 40 = 2 then '{"previousIdentifier":"L' || (i + 3) || '.001.F"}' else '{}' end`;

/** Rows as the writers leave them, set-based: licenses, one version each, signatures, deliveries. */
async function fill(k: Knex, pg: boolean): Promise<void> {
  const at = new Date().toISOString();
  const series = pg
    ? `generate_series(1, ${VERSIONS}) as s(i)`
    : `(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${VERSIONS}) select i from s) s`;
  const pipeline = `case when i % 5 = 0 then 'bench-b' else 'bench-a' end`;
  await k.raw(
    `insert into licenses (license_id, pipeline, source_key, latest_version, content_hash, status, created_at, updated_at)
     select 'L' || i, ${pipeline}, '' || i, 1, '', 'valid', '${at}', '${at}' from ${series}`,
  );
  await k.raw(
    `insert into license_versions (version_id, license_id, version, pipeline, identifier, content_hash, status,
       operation, payload, lineage, run_id, created_at)
     select i, 'L' || i, 1, ${pipeline}, 'ID' || i, '', 'valid', 'issue', ${RENEWAL}, '{}', 'bench', '${at}' from ${series}`,
  );
  await k.raw(
    `insert into signatures (version_id, seal_id, content_hash, algorithm, digest, signature, dist_id, signer_kind, signed_at)
     select i, '${SEAL}', '', 'SM2', 'd', ${pg ? "'\\x00'::bytea" : "x'00'"}, '1234567812345678', 'local', '${at}'
       from ${series} where i % 10 <> 1`,
  );
  for (const target of TARGETS) {
    await k.raw(
      `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at, revision)
       select i, '${target}',
              case when i % 40 in (2, 5) then 'pending' when i % 40 in (3, 10) then 'submitted'
                   when i % 40 = 15 then 'dead' else 'accepted' end,
              1 + i % 3, '[]', '${at}', '${at}', 0
         from ${series} where i % 10 <> 1`,
    );
  }
  await k.raw(
    `insert into license_files (version_id, license_id, version, pipeline, path, sm3, size, seal, signed_at, created_at)
     select i, 'L' || i, 1, ${pipeline}, 'f/' || i, 'ab', 1024, '${SEAL}', '${at}', '${at}'
       from ${series} where i % 3 <> 0`,
  );
  if (pg) await k.raw('analyze');
}

/** \`countWithoutFile\` as it read before the counts were kept: both tables whole. */
function oldWithoutFile(k: Knex, pipeline: string) {
  return k('license_versions as v')
    .where('v.status', 'valid')
    .andWhere('v.pipeline', pipeline)
    .whereNotExists(function missing() {
      this.select(k.raw('1')).from('license_files as f').whereRaw('f.version_id = v.version_id');
    })
    .count({ n: '*' });
}

/** The reads before the kept counts: every row joined with its version, grouped. */
function oldAwaiting(k: Knex, pipeline: string) {
  return oldUnsigned(k, SEAL, pipeline).count({ n: '*' });
}

/** `pipelineBacklog` as it read before the counts were kept: a scan of the signed versions per target. */
async function oldBacklog(k: Knex, pipeline: string): Promise<unknown> {
  const undeliveredQuery = (target: string) => oldUndelivered(k, SEAL, pipeline, target);
  const out: Record<string, unknown> = { unsigned: await oldAwaiting(k, pipeline) };
  for (const target of TARGETS) {
    const undelivered = await undeliveredQuery(target).count({ n: '*' }).first();
    const inReview = await undeliveredQuery(target)
      .whereExists(oldInReview(k, target))
      .count({ n: '*' })
      .first();
    // Held behind an earlier version in review: the same read before and after.
    const held = await undeliveredQuery(target)
      .whereNotExists(oldInReview(k, target))
      .modify(oldHeldBehindReview(k, target))
      .count({ n: '*' })
      .first();
    out[target] = [undelivered, inReview, held];
  }
  return out;
}

/**
 * The versions held behind a review as `pipelineBacklog` read them before they were read from the
 * open reviews: the pipeline's signed versions, by the licenses with a version in review, and the
 * renewals by the license they continue (old-status-reads.ts `oldHeldBehindReview`).
 */
function oldHeld(k: Knex, pipeline: string, target: string) {
  return k('license_versions as v')
    .join('signatures as s', function signed() {
      this.on('s.version_id', '=', 'v.version_id').andOn('s.seal_id', '=', k.raw('?', [SEAL]));
    })
    .modify((q) => whereHashedKey(k, q, 'v.pipeline', pipeline))
    .whereNotExists(function final() {
      this.select(k.raw('1'))
        .from('deliveries as d')
        .whereRaw('d.version_id = v.version_id')
        .andWhere('d.target', target)
        .whereIn('d.state', ['accepted', 'dead', 'discarded', 'rejected', 'submitted']);
    })
    .modify(oldHeldBehindReview(k, target))
    .count({ n: '*' })
    .first();
}

interface Row {
  query: string;
  fullMs: number;
  keptMs: number;
}

async function measure(name: string): Promise<Record<string, unknown>> {
  const pg = name === 'postgres';
  let url: string;
  let dispose: () => Promise<void>;
  if (pg) {
    const schema = `lb_bench_${randomBytes(4).toString('hex')}`;
    url = `${PG_URL}?schema=${schema}`;
    dispose = async () => {
      const k = knex({ client: 'pg', connection: PG_URL });
      await k.raw(`drop schema if exists "${schema}" cascade`);
      await k.destroy();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'lb-bench-counts-'));
    url = `sqlite://${join(dir, 'ledger.db')}`;
    dispose = () => rm(dir, { recursive: true, force: true });
  }
  const ledger: Ledger = await openLedger(url, { logger: log });
  const k = rawOf(url);
  try {
    const tFill = process.hrtime.bigint();
    await fill(k, pg);
    const fillMs = ms(tFill);
    const rows: Row[] = [];
    const row = async (query: string, full: () => Promise<unknown>, kept: () => Promise<unknown>) => {
      await kept();
      rows.push({ query, fullMs: await best(3, full), keptMs: await best(3, kept) });
    };
    await row(
      'deliveryCounts',
      () => fullCount(k, 'delivery_counts'),
      () => ledger.deliveryCounts(),
    );
    await row(
      'signatureCounts',
      () => fullCount(k, 'signature_counts'),
      () => ledger.signatureCounts(),
    );
    await row(
      'awaitingSignature',
      () => oldAwaiting(k, 'bench-a'),
      () => ledger.awaitingSignature('bench-a', SEAL),
    );
    await row(
      'countWithoutFile',
      () => oldWithoutFile(k, 'bench-a'),
      () => ledger.licenseFiles.countWithoutFile('bench-a'),
    );
    for (const pipeline of ['bench-a', 'bench-b']) {
      await row(
        `pipelineBacklog ${pipeline === 'bench-a' ? '(signing)' : '(all signed)'}`,
        () => oldBacklog(k, pipeline),
        () => ledger.pipelineBacklog(pipeline, SEAL, TARGETS),
      );
    }
    const heldCounts: Record<string, [number, number]> = {};
    const sameHeld = async (label: string, pipeline: string) => {
      const before = await oldHeld(k, pipeline, 'province');
      const now = await heldBehindReviewQuery(k, pipeline, SEAL, 'province').first();
      heldCounts[label] = [Number(before?.n ?? 0), Number(now?.n ?? 0)];
    };
    for (const pipeline of ['bench-a', 'bench-b']) {
      const label = `held behind a review ${pipeline === 'bench-a' ? '(signing)' : '(all signed)'}`;
      await row(
        label,
        () => oldHeld(k, pipeline, 'province'),
        () => heldBehindReviewQuery(k, pipeline, SEAL, 'province').first(),
      );
      await sameHeld(label, pipeline);
    }
    if (EXPLAIN) await explain(k, pg);
    // Everything filled is read before this instant: every open row counts.
    const later = new Date(Date.now() + 3_600_000);
    for (const pipeline of ['bench-a', 'bench-b']) {
      await row(
        `overdueChanges ${pipeline === 'bench-a' ? '(signing)' : '(all signed)'}`,
        () => oldOverdueChanges(k, pipeline, 'province', later.toISOString()),
        () => ledger.overdueChanges({ pipeline, target: 'province', createdBefore: later }),
      );
    }
    await row(
      'overdueDeliveries',
      () => oldOverdueDeliveries(k, 'province', later.toISOString()),
      () => ledger.overdueDeliveries('province', later),
    );
    const same =
      JSON.stringify(sorted(await fullCount(k, 'delivery_counts'))) ===
      JSON.stringify(
        sorted(
          (await ledger.deliveryCounts()).map((d) => ({
            pipeline: d.pipeline,
            target: d.target,
            state: d.state,
            row_count: d.count,
            attempts: d.attempts,
            retries: d.retries,
          })),
        ),
      );

    // The hot path: batches of outcomes on pending deliveries, with and without the triggers.
    const pending = await k('deliveries as d')
      .join('license_versions as v', 'v.version_id', 'd.version_id')
      .where('d.state', 'pending')
      .select('v.license_id', 'v.version', 'd.target')
      .limit(BATCH * BATCHES * 2);
    const keys = pending.map((p: { license_id: string; version: number; target: string }) =>
      deliveryKey(p.license_id, p.version, p.target),
    );
    const withCounts: number[] = [];
    const without: number[] = [];
    let triggers = true;
    for (let b = 0; b < BATCHES * 2; b++) {
      const want = b % 2 === 0;
      if (want !== triggers) {
        // PostgreSQL: disabled, not dropped, so the trigger function each connection compiled
        // stays compiled, as in a process that runs for days. SQLite has no such switch.
        if (pg) await k.raw(`alter table deliveries ${want ? 'enable' : 'disable'} trigger user`);
        else await (want ? createStatusCountTriggers(k) : dropStatusCountTriggers(k));
        triggers = want;
      }
      const batch = keys.slice(b * BATCH, (b + 1) * BATCH);
      const t = process.hrtime.bigint();
      await ledger.recordDeliveryOutcomes(
        batch.map((key: string) => ({ key, state: 'submitted', from: 'pending' })),
      );
      (want ? withCounts : without).push(ms(t));
    }
    if (!triggers && pg) await k.raw('alter table deliveries enable trigger user');
    else if (!triggers) await createStatusCountTriggers(k);
    // A ledger whose platforms took nearly all that was sent: 1 in 100 of the deliveries left open
    // above stays open, the rest accepted. The overdue reads again, now on a small open backlog.
    await k('deliveries')
      .whereNot('state', 'accepted')
      .whereRaw('version_id % 100 <> 7')
      .update({ state: 'accepted' });
    if (pg) await k.raw('analyze deliveries');
    await row(
      'overdueChanges (settled)',
      () => oldOverdueChanges(k, 'bench-b', 'province', later.toISOString()),
      () => ledger.overdueChanges({ pipeline: 'bench-b', target: 'province', createdBefore: later }),
    );
    await row(
      'overdueDeliveries (settled)',
      () => oldOverdueDeliveries(k, 'province', later.toISOString()),
      () => ledger.overdueDeliveries('province', later),
    );
    await row(
      'held behind a review (settled)',
      () => oldHeld(k, 'bench-b', 'province'),
      () => heldBehindReviewQuery(k, 'bench-b', SEAL, 'province').first(),
    );
    await sameHeld('held behind a review (settled)', 'bench-b');
    const heldEqual = Object.values(heldCounts).every(([before, now]) => before === now);
    const oldOwed = await oldOverdueChanges(k, 'bench-b', 'province', later.toISOString());
    const newOwed = await ledger.overdueChanges({
      pipeline: 'bench-b',
      target: 'province',
      createdBefore: later,
    });
    const overdueSame = Number(oldOwed?.n ?? 0) === newOwed.count;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

    console.log(
      `\n${name}: ${VERSIONS.toLocaleString('en')} versions (filled in ${(fillMs / 1000).toFixed(1)} s)`,
    );
    console.log('query                          before (ms)       now (ms)           ratio');
    for (const r of rows)
      console.log(
        `${r.query.padEnd(30)} ${r.fullMs.toFixed(1).padStart(15)} ${r.keptMs.toFixed(1).padStart(18)} ${(r.fullMs / r.keptMs).toFixed(0).padStart(7)}x`,
      );
    console.log(`kept delivery counts equal the full count: ${same}`);
    console.log(`overdueChanges equals the query before (settled): ${overdueSame}`);
    console.log(
      `held behind a review equals the read before: ${heldEqual} (${Object.entries(heldCounts)
        .map(([q, [before, now]]) => `${q}: ${before} / ${now}`)
        .join('; ')})`,
    );
    console.log(
      `outcome batch of ${BATCH} (median of ${BATCHES}): with counts ${median(withCounts).toFixed(1)} ms, without ${median(without).toFixed(1)} ms`,
    );
    return {
      ledger: name,
      versions: VERSIONS,
      queries: Object.fromEntries(
        rows.map((r) => [r.query, { fullMs: round(r.fullMs), keptMs: round(r.keptMs) }]),
      ),
      countsEqual: same,
      overdueEqual: overdueSame,
      heldEqual,
      heldCounts,
      outcomeBatch: {
        size: BATCH,
        withCountsMs: round(median(withCounts)),
        withoutMs: round(median(without)),
      },
    };
  } finally {
    await k.destroy();
    await ledger.close();
    await dispose();
  }
}

/** A knex of the bench's own beside the ledger's, for the fill and the baseline. */
function rawOf(url: string): Knex {
  if (url.startsWith('sqlite://'))
    return knex({ client: 'better-sqlite3', connection: { filename: url.slice(9) }, useNullAsDefault: true });
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') as string;
  parsed.searchParams.delete('schema');
  return knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
}

const round = (x: number) => Math.round(x * 10) / 10;

function sorted(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([key, v]) => [key, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      ),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const results = [];
for (const name of LEDGERS) results.push(await measure(name));
console.log(JSON.stringify({ bench: 'status-counts', results }));
