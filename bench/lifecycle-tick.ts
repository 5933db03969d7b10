/**
 * The daily lifecycle tick over 1,000,000 licenses in a PostgreSQL ledger, 1,000 of them expiring
 * that day (the rest valid until later, or expired long ago), against one indexed count query of
 * the same range in the same run (raw node-postgres). The tick's cost must follow the day's
 * expiries, not the ledger's size: target ≤ 3 × the count query for finding the day's expiries.
 * The whole tick (selection, 1,000 expire versions with payloads, audit entries) is printed too,
 * beside the least SQL that writes the same rows (set-based, no signing of hashes, rolled back):
 * what writing the day's versions costs the database whatever the code around it. The tick's page
 * query is the one ledger/lifecycle.ts builds (duePageQuery, with its version-context join and the
 * row locks), and the versions are filled as a run writes them since migration 026 (a context).
 * The due versions carry the content hash the product computes of their stored text, which the
 * tick checks: a bench whose tick expires fewer than are due fails, its figures not an expiry's.
 * Usage: node dist-bench/bench/lifecycle-tick.js [licenses] [due]
 */
import { randomUUID } from 'node:crypto';
import knex from 'knex';
import pg from 'pg';
import { contentHash } from '../catalog/canonical.js';
import type { License } from '../catalog/license.js';
import type { Config } from '../config/types.js';
import { addDays } from '../core/local-date.js';
import { createLogger } from '../core/logger.js';
import { duePageQuery } from '../ledger/lifecycle.js';
import { joinPayload } from '../ledger/version-context.js';
import { lifecycleTick } from '../pipelines/lifecycle/tick.js';
import { Runtime } from '../pipelines/runtime.js';

const LICENSES = Number(process.argv[2] ?? 1_000_000);
const DUE = Number(process.argv[3] ?? 1000);
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const PIPELINE = 'bench-food';
const TODAY = '2026-03-02';
const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B';
const seconds = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e9;

/** The license type's and issuer's members, as a run's versions share them (ledger/version-context.ts). */
const SHARED_PAYLOAD =
  '"type":{"name":"食品经营许可证","code":"11370200MB12345674001"},' +
  '"issuer":{"name":"青岛西海岸新区市场监督管理局","code":"11370211MB12345672"}';

async function fill(client: pg.Client): Promise<void> {
  // n ≤ DUE: valid until yesterday (due today); even n: valid for years yet; odd n: expired long ago.
  // The licenses' own `content_hash` is '' as commitPage writes it (migration 026): the latest
  // version's row holds it.
  await client.query(
    `insert into ledger.licenses
       (license_id, pipeline, source_key, latest_version, content_hash, status, valid_to, number, created_at, updated_at)
     select $1 || lpad(n::text, 9, '0'), $2, n::text, 1, '',
            case when n <= $3 or n % 2 = 0 then 'valid' else 'expired' end,
            case when n <= $3 then $4::date - 1
                 when n % 2 = 0 then $4::date + (n % 3650) + 1
                 else $4::date - (n % 3650) - 2 end::text,
            'JY' || n, now(), now()
       from generate_series(1, $5::int) n`,
    [PREFIX, PIPELINE, DUE, TODAY, LICENSES],
  );
  // Versions as a run writes them since migration 026: type, issuer and the lineage's source,
  // catalog and mapping versions in one version context, the marker in the payload's text. Their
  // content hash is a placeholder here (md5 of the key); the due ones get their real one below.
  const context = await client.query(
    `insert into ledger.version_contexts (lineage, payload) values ($1, $2) returning context_id`,
    ['{"s":"bench","c":"c","m":"m"}', SHARED_PAYLOAD],
  );
  await client.query(
    `insert into ledger.license_versions
       (license_id, version, pipeline, identifier, content_hash, status, operation, payload, lineage, context_id,
        run_id, created_at)
     select l.license_id, 1, l.pipeline, '', md5(l.source_key), l.status, 'issue',
            '{"number":"' || l.number || '","@":0,"issueDate":"2021-03-02","validFrom":"2021-03-02","validTo":"'
              || l.valid_to || '","areaCode":"370211",'
              || '"holder":{"name":"某某餐饮有限公司","idType":"001","id":"91370211MA3C000000"},"status":"'
              || l.status || '","surface":{"premises":"某路' || l.number || '号"}}',
            '{"k":"' || l.source_key || '"}', $1::int, 'fill', now()
       from ledger.licenses l`,
    [context.rows[0].context_id],
  );
  await hashDueVersions(client);
  await client.query('analyze ledger.licenses');
  await client.query('analyze ledger.license_versions');
}

/**
 * The due licenses' versions get the content hash the product computes of their stored text (SM3
 * over the JCS of the license without its identifier, catalog/canonical.ts): the tick checks the
 * text it reads against it and sets aside a license whose text does not match (57e57db9), so with
 * a placeholder the bench timed 1,000 set-asides and no expiry. Only the due ones: the tick reads
 * no other (its range is `valid` with `valid_to` before today; the bench configures no reminders,
 * the one other reader of a license's text in a tick). One read of the due range, the hashes in
 * this process, one update of all of them from two arrays.
 */
async function hashDueVersions(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{
    version_id: string;
    payload: string;
    context_payload: string | null;
  }>(
    `select v.version_id, v.payload, c.payload as context_payload
       from ledger.licenses l
       join ledger.license_versions v on v.license_id = l.license_id and v.version = l.latest_version
       left join ledger.version_contexts c on c.context_id = v.context_id
      where l.pipeline = $1 and l.status = 'valid' and l.valid_to < $2`,
    [PIPELINE, TODAY],
  );
  const ids: string[] = [];
  const hashes: string[] = [];
  for (const r of rows) {
    ids.push(r.version_id);
    hashes.push(contentHash(JSON.parse(joinPayload(r.payload, r.context_payload)) as License));
  }
  await client.query(
    `update ledger.license_versions v set content_hash = h.hash
       from unnest($1::bigint[], $2::text[]) as h(id, hash)
      where v.version_id = h.id`,
    [ids, hashes],
  );
}

async function main(): Promise<void> {
  const database = `lb_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client(SERVER);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ ...SERVER, database });
  await client.connect();
  const url = `postgres://postgres@127.0.0.1:5432/${database}?schema=ledger`;
  const config = {
    file: '/dev/null',
    ledger: { url },
    pipelines: { [PIPELINE]: { expiry: true } },
    lifecycle: { timeZone: 'Asia/Shanghai', schedule: '5 0 * * *', pageSize: 500 },
  } as unknown as Config;
  const rt = new Runtime(config, createLogger({ level: 'warn' }));
  try {
    await rt.ledger(); // migrates
    let t = process.hrtime.bigint();
    await fill(client);
    const fillSeconds = seconds(t);

    const countSql = `select count(*)::int n from ledger.licenses where pipeline = $1 and status = 'valid' and valid_to < $2`;
    const plan = await client.query(`explain ${countSql}`, [PIPELINE, TODAY]);
    const planText = plan.rows.map((r: Record<string, string>) => Object.values(r)[0]).join(' / ');
    // Warm both paths once, then time the count (best of 5, as the tick runs once).
    await client.query(countSql, [PIPELINE, TODAY]);
    let countSeconds = Number.POSITIVE_INFINITY;
    let counted = 0;
    for (let i = 0; i < 5; i++) {
      t = process.hrtime.bigint();
      counted = (await client.query(countSql, [PIPELINE, TODAY])).rows[0].n;
      countSeconds = Math.min(countSeconds, seconds(t));
    }
    // The same count planned serially: PostgreSQL's statistics take `valid` and a past `valid_to`
    // for independent, estimate a quarter of the ledger, and plan the count above as a parallel
    // bitmap scan, whose workers' start is most of its time; serially it is an index-only scan of
    // the day's 1,000 entries. Both are printed: the target's baseline is the count as PostgreSQL
    // plans it, and the serial one says what walking the index alone costs.
    await client.query('set max_parallel_workers_per_gather = 0');
    const serialPlan = await client.query(`explain ${countSql}`, [PIPELINE, TODAY]);
    const serialPlanText = serialPlan.rows
      .map((r: Record<string, string>) => Object.values(r)[0])
      .join(' / ');
    await client.query(countSql, [PIPELINE, TODAY]);
    let countSerialSeconds = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      t = process.hrtime.bigint();
      await client.query(countSql, [PIPELINE, TODAY]);
      countSerialSeconds = Math.min(countSerialSeconds, seconds(t));
    }
    await client.query('reset max_parallel_workers_per_gather');
    // The tick's selection alone: its keyset pages of the same index range (read only).
    const ledger = await rt.ledger();
    t = process.hrtime.bigint();
    const dueBefore = await ledger.countDueExpiries(PIPELINE, TODAY);
    const ledgerCountSeconds = seconds(t);
    // The tick's page query as it runs it (ledger/lifecycle.ts): the index range with each latest
    // version and its context, the license rows locked, in a transaction rolled back.
    const page = duePageQuery(knex({ client: 'pg' }), { pipeline: PIPELINE, today: TODAY, limit: 500 })
      .forUpdate('l')
      .toSQL()
      .toNative();
    const selectPage = async (): Promise<pg.QueryResult> => {
      await client.query('begin');
      try {
        return await client.query(page.sql, page.bindings as unknown[]);
      } finally {
        await client.query('rollback');
      }
    };
    await client.query('set search_path to ledger');
    t = process.hrtime.bigint();
    const firstPage = await selectPage();
    const selectColdSeconds = seconds(t);
    let selectSeconds = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      t = process.hrtime.bigint();
      await selectPage();
      selectSeconds = Math.min(selectSeconds, seconds(t));
    }
    // The least SQL that writes what the tick writes, set-based and rolled back (best of 3): the
    // day's versions copied from the latest ones, the licenses moved on, one audit row each. The
    // audit rows find the day's versions by the run's hashed index (migration 037), as the ledger's
    // reads of a run do: matched on `run_id` alone, the statement read all 1,000,000 versions
    // (300 ms of the 257 this floor once measured).
    const rawWrite = [
      `insert into ledger.license_versions
         (license_id, version, pipeline, identifier, content_hash, status, operation, payload, lineage, context_id,
          run_id, created_at)
       select l.license_id, l.latest_version + 1, l.pipeline, v.identifier, md5(v.payload), 'expired',
              'expire', v.payload, v.lineage, v.context_id, 'raw-write', now()
         from ledger.licenses l join ledger.license_versions v
           on v.license_id = l.license_id and v.version = l.latest_version
        where l.pipeline = $1 and l.status = 'valid' and l.valid_to < $2`,
      `update ledger.licenses set latest_version = latest_version + 1, content_hash = '', status = 'expired', updated_at = now()
        where pipeline = $1 and status = 'valid' and valid_to < $2`,
      `insert into ledger.audit_log (seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash)
       select (select coalesce(max(seq), 0) from ledger.audit_log) + row_number() over (), now(), 'bench', 'expire',
              license_id, version, content_hash, '{}', repeat('0', 64), repeat('0', 64)
         from ledger.license_versions
        where hashtextextended(run_id, 0) = hashtextextended('raw-write', 0) and run_id = 'raw-write'
          and $1::text is not null and $2::text is not null`,
    ];
    let rawWriteSeconds = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      await client.query('begin');
      // The plan the tick's own pages get (index range, nested loop into the versions): with the
      // whole day in one statement the planner otherwise hashes all of license_versions.
      await client.query('set local enable_hashjoin = off');
      await client.query('set local enable_mergejoin = off');
      t = process.hrtime.bigint();
      for (const sql of rawWrite) await client.query(sql, [PIPELINE, TODAY]);
      rawWriteSeconds = Math.min(rawWriteSeconds, seconds(t));
      await client.query('rollback');
    }

    // The day before's tick first: nothing is due then (the earliest validTo is yesterday), and it
    // loads what a worker holding the scheduled tick has loaded (the reminder and notify code).
    t = process.hrtime.bigint();
    const dayBefore = await lifecycleTick(rt, { today: addDays(TODAY, -1) });
    const dayBeforeSeconds = seconds(t);
    t = process.hrtime.bigint();
    const result = await lifecycleTick(rt, { today: TODAY });
    const tickSeconds = seconds(t);
    t = process.hrtime.bigint();
    const again = await lifecycleTick(rt, { today: TODAY });
    const secondTickSeconds = seconds(t);
    const expired = result.pipelines[0]?.expired ?? 0;
    const left = await ledger.countDueExpiries(PIPELINE, addDays(TODAY, 0));

    const rows = [
      ['licenses in the ledger', LICENSES.toLocaleString('en')],
      ['due today', `${counted} (ledger count ${dueBefore}, first page ${firstPage.rowCount})`],
      ['fill (SQL)', `${fillSeconds.toFixed(1)} s`],
      ['count query (raw pg, best of 5)', `${(countSeconds * 1000).toFixed(2)} ms`],
      ['the same count planned serially (best of 5)', `${(countSerialSeconds * 1000).toFixed(2)} ms`],
      [
        'tick selection, one page with payloads (raw pg)',
        `${(selectSeconds * 1000).toFixed(2)} ms (best of 5; first, cold: ${(selectColdSeconds * 1000).toFixed(2)} ms)`,
      ],
      ['least SQL writing the same rows (raw pg, best of 3)', `${(rawWriteSeconds * 1000).toFixed(1)} ms`],
      [
        'tick the day before (nothing due, first in process)',
        `${(dayBeforeSeconds * 1000).toFixed(1)} ms, expired ${dayBefore.pipelines[0]?.expired}`,
      ],
      ['tick (select + 1,000 expire versions + audit)', `${(tickSeconds * 1000).toFixed(1)} ms`],
      [
        'second tick the same day',
        `${(secondTickSeconds * 1000).toFixed(2)} ms, outcome ${again.pipelines[0]?.outcome}`,
      ],
      ['expired by the tick / still due', `${expired} / ${left}`],
      ['plan of the count', planText],
      ['plan of the serial count', serialPlanText],
    ];
    for (const [k, v] of rows) process.stdout.write(`${(k as string).padEnd(48)} ${v}\n`);
    // A tick that expired fewer than were due timed something else (set-asides, an empty range):
    // its figures are no measure of the day's expiries, and are not given as one.
    const setAside = result.pipelines[0]?.setAside?.length ?? 0;
    if (counted !== DUE || expired !== counted || left !== 0)
      throw new Error(
        `bench lifecycle-tick: the tick expired ${expired} of ${counted} due (${DUE} filled as due), ` +
          `set aside ${setAside}, ${left} still due: the figures above do not time the day's expiries`,
      );
    const figures = {
      licenses: LICENSES,
      due: counted,
      expired,
      stillDue: left,
      countMs: +(countSeconds * 1000).toFixed(3),
      countSerialMs: +(countSerialSeconds * 1000).toFixed(3),
      ledgerCountMs: +(ledgerCountSeconds * 1000).toFixed(3),
      selectPageMs: +(selectSeconds * 1000).toFixed(3),
      dayBeforeTickMs: +(dayBeforeSeconds * 1000).toFixed(2),
      tickMs: +(tickSeconds * 1000).toFixed(2),
      secondTickMs: +(secondTickSeconds * 1000).toFixed(3),
      selectColdMs: +(selectColdSeconds * 1000).toFixed(3),
      rawWriteMs: +(rawWriteSeconds * 1000).toFixed(2),
      selectVsCount: +(selectSeconds / countSeconds).toFixed(2),
      tickVsCount: +(tickSeconds / countSeconds).toFixed(1),
      selectVsSerialCount: +(selectSeconds / countSerialSeconds).toFixed(1),
      tickVsSerialCount: +(tickSeconds / countSerialSeconds).toFixed(0),
      tickVsRawWrite: +(tickSeconds / rawWriteSeconds).toFixed(2),
      indexUsed: planText.includes('licenses_pipeline_status_valid_to_idx'),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await rt.close();
    await client.end();
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
