/**
 * The sign stage's main-thread CPU per license that does not sign: each stored version's content
 * hash checked (JCS without the identifier, SM3) and its signed bytes made (JCS, UTF-8), over the
 * demo department's licenses. The baseline, measured in the same run and taking turns with it page
 * by page, is the former pair of calls (`contentHash` then `canonicalBytes`: two serialisations);
 * the other serialises once and cuts the identifier's member out of the text (`signedForms` here).
 * Both must give the same bytes and hash for every license.
 *
 * Then the delivery keys of a page resolved to their versions (`resolveDeliveryKeys`, a SQLite
 * ledger of the same licenses), against the least work that gives the same answer: the page's
 * (license, version) pairs probed with one prepared better-sqlite3 statement each; and the
 * function's own work, on a Db that answers at once with the rows its statement returned.
 *
 * CPU time (process.cpuUsage), not wall: the machine may be loaded. Ends with one JSON line.
 * `node dist-bench/bench/sign-forms.js [rows] [rounds]`; `BENCH_EXAMPLE` names the example folder
 * when the compiled file does not sit two folders below the repository.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import knexModule from 'knex';
import { canonicalBytes, contentHash, jcs } from '../catalog/canonical.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { License } from '../catalog/license.js';
import { sm3Hex } from '../catalog/sm3.js';
import { encodeKeyPosition } from '../connectors/key-position.js';
import { createLogger } from '../core/logger.js';
import { newRecord } from '../examples/west-coast/generate-legacy-db.js';
import { draw } from '../examples/west-coast/legacy-records.js';
import { createDb, type Db } from '../ledger/db.js';
import { resolveDeliveryKeys } from '../ledger/delivery-keys.js';
import type { VersionCandidate } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { compileMapping } from '../mappings/compile.js';
import { createLicenseMapper } from '../mappings/license-mapper.js';
import type { InputValue } from '../mappings/types.js';

const ROWS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PAGE = 500;
const EXAMPLE =
  process.env.BENCH_EXAMPLE ?? fileURLToPath(new URL('../../examples/west-coast/', import.meta.url));
const PIPELINE = 'food-business-licenses';
const TYPE = { name: '食品经营许可证', code: '11370200MB12345674001' };
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };
const knex = knexModule as unknown as typeof knexModule.default;

const utf8 = new TextEncoder();
const quoted = new Map<string, string>();

/**
 * One serialisation for both: the license's JCS text (catalog/canonical.ts `canonicalJson`), and
 * the same text with its `identifier` member and one comma beside it cut out, which is the text
 * `contentHash` serialises (JCS joins the sorted members' texts with commas). For plain license
 * objects only (no `toJSON`), as the sign stage reads them.
 */
function signedForms(license: License): { bytes: Uint8Array; contentHash: string } {
  const record = license as unknown as Record<string, unknown>;
  let out = '{';
  let from = -1;
  let to = -1;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === 'symbol') continue;
    const at = out.length;
    if (at > 1) out += ',';
    let name = quoted.get(key);
    if (name === undefined) {
      name = JSON.stringify(key);
      quoted.set(key, name);
    }
    out += `${name}:${jcs(member)}`;
    if (key === 'identifier') {
      from = at;
      to = out.length;
    }
  }
  const whole = `${out}}`;
  let content = whole;
  if (from === 1) content = `{${whole.slice(whole[to] === ',' ? to + 1 : to)}`;
  else if (from > 1) content = whole.slice(0, from) + whole.slice(to);
  return { bytes: utf8.encode(whole), contentHash: sm3Hex(content) };
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function candidates(): Promise<VersionCandidate[]> {
  const [catalog, mapping] = await Promise.all([
    loadCatalog(join(EXAMPLE, 'catalog')),
    compileMapping(join(EXAMPLE, 'mappings/food-business-license.yaml')),
  ]);
  const mapper = createLicenseMapper({
    pipeline: PIPELINE,
    sourceName: 'bench',
    mapping,
    catalog,
    licenseType: TYPE.code,
    issuer: ISSUER,
    areaCode: '370211',
  });
  const d = draw(42);
  const out: VersionCandidate[] = [];
  for (let i = 0; out.length < ROWS; i++) {
    const record = newRecord(
      d,
      i + 1,
      String(1_000_000 + i),
      new Date(Date.UTC(2016, 0, 1) + (i % 3000) * 864e5),
    );
    const r = mapper(
      { key: String(record.ID), values: { ...record } as unknown as Record<string, InputValue> },
      'bench',
    );
    if (r.ok) out.push(r.candidate);
  }
  return out;
}

/**
 * µs of CPU per item of each side, the sides taking turns page by page, one figure a round. A side
 * may do its work at once or return a promise of it.
 */
async function alternate<T>(
  items: readonly T[],
  sides: Record<string, (page: readonly T[]) => unknown>,
): Promise<Record<string, number[]>> {
  const names = Object.keys(sides);
  const spent: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const total: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    for (let from = 0; from < items.length; from += PAGE) {
      const page = items.slice(from, from + PAGE);
      // Which side goes first swaps every page, so neither always runs on a warmer cache.
      const order = (from / PAGE + round) % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const t0 = cpuUs();
        await (sides[name] as (page: readonly T[]) => unknown)(page);
        total[name] = (total[name] as number) + cpuUs() - t0;
      }
    }
    for (const n of names) (spent[n] as number[]).push((total[n] as number) / items.length);
  }
  return spent;
}

const spread = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    min: s[0] as number,
    median: s[Math.floor(s.length / 2)] as number,
    max: s[s.length - 1] as number,
  };
};
const round2 = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const cands = await candidates();
  const licenses: License[] = cands.map((c) => c.build(1));
  const hashes = cands.map((c) => c.contentHash);

  // The same answer for every license, or the comparison means nothing.
  for (const [i, l] of licenses.entries()) {
    const one = signedForms(l);
    if (
      one.contentHash !== hashes[i] ||
      Buffer.compare(Buffer.from(one.bytes), Buffer.from(canonicalBytes(l))) !== 0
    )
      throw new Error(`bench: signedForms differs from contentHash + canonicalBytes on license ${i}`);
  }
  let sink = 0;
  const indexed = licenses.map((l, i) => ({ l, h: hashes[i] as string }));
  const sign = await alternate(indexed, {
    twice: (page) => {
      for (const { l, h } of page) if (contentHash(l) === h) sink += canonicalBytes(l).length;
    },
    once: (page) => {
      for (const { l, h } of page) {
        const f = signedForms(l);
        if (f.contentHash === h) sink += f.bytes.length;
      }
    },
  });

  // Delivery keys: a SQLite ledger holding the licenses.
  const dir = await mkdtemp(join(tmpdir(), 'lb-sign-forms-'));
  const file = join(dir, 'ledger.db');
  const ledger = await openLedger(`sqlite://${file}`, { logger: createLogger({ level: 'silent' }) });
  let keys: string[] = [];
  let resolve: Record<string, number[]> = {};
  try {
    await ledger.migrate();
    // The run the mapper named in each candidate's lineage.
    const runId = 'bench';
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    for (let from = 0; from < cands.length; from += PAGE) {
      const page = cands.slice(from, from + PAGE);
      await ledger.commitPage({
        pipeline: PIPELINE,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(from + page.length) }),
        rowsRead: page.length,
        candidates: page,
        quarantined: [],
        sourceFingerprints: new Map(page.map((c) => [c.sourceKey, `f${c.sourceKey}`])),
      });
    }
    keys = cands.map((c) => `${c.licenseId}:1:province`);
    const k = knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    const db = createDb({
      knex: k,
      dialect: 'sqlite',
      maxParams: 32_766,
      maxRows: 500,
      log: createLogger({ level: 'silent' }),
      exclusive: (work) => work(),
    });
    const raw = new Database(file, { readonly: true });
    const probe = raw.prepare('select version_id from license_versions where license_id = ? and version = ?');
    try {
      const resolved = await resolveDeliveryKeys(db, keys.slice(0, PAGE));
      if (resolved.length !== Math.min(PAGE, keys.length)) throw new Error('bench: keys did not resolve');
      // The same function on a Db that answers at once with the rows the ledger gave: its own work.
      const rows = new Map<string, unknown[]>();
      for (let from = 0; from < keys.length; from += PAGE) {
        const page = keys.slice(from, from + PAGE);
        const res = await db.read('bench', (q) =>
          q.raw(
            `select v.version_id, v.license_id, v.version from license_versions v
              where v.version = 1 and v.license_id in (${page.map(() => '?').join(',')})`,
            page.map((key) => key.split(':')[0] as string),
          ),
        );
        rows.set(page[0] as string, res as unknown[]);
      }
      const answered: Db = { ...db, read: async () => rows.get(current) as never };
      let current = '';
      resolve = await alternate(keys, {
        resolveDeliveryKeys: async (page) => {
          sink += (await resolveDeliveryKeys(db, page)).length;
        },
        ownWork: async (page) => {
          current = page[0] as string;
          sink += (await resolveDeliveryKeys(answered, page)).length;
        },
        prepared: async (page) => {
          for (const key of page) {
            const [licenseId, version] = key.split(':') as [string, string];
            sink += probe.get(licenseId, Number(version)) === undefined ? 0 : 1;
          }
        },
      });
    } finally {
      raw.close();
      await k.destroy();
    }
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }

  const row = (what: string, xs: readonly number[]) => {
    const s = spread(xs);
    return `| ${what.padEnd(44)} | ${s.median.toFixed(2).padStart(8)} | ${s.min.toFixed(2).padStart(8)} | ${s.max.toFixed(2).padStart(8)} |`;
  };
  const saved = (sign.twice as number[]).map((t, i) => t - ((sign.once as number[])[i] as number));
  process.stdout.write(
    [
      `sign-forms bench: ${licenses.length} demo licenses, ${ROUNDS} rounds, pages of ${PAGE} taking turns, CPU µs per license`,
      '| what                                         | median   | min      | max      |',
      '| -------------------------------------------- | -------- | -------- | -------- |',
      row('contentHash + canonicalBytes (baseline)', sign.twice as number[]),
      row('one serialisation (signedForms)', sign.once as number[]),
      row('saved per license (same round)', saved),
      row('resolveDeliveryKeys, per key', resolve.resolveDeliveryKeys as number[]),
      row('  of which its own work (no SQL)', resolve.ownWork as number[]),
      row('prepared probe per key (baseline)', resolve.prepared as number[]),
      `(checksum ${sink})`,
      '',
    ].join('\n'),
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'sign-forms',
      licenses: licenses.length,
      rounds: ROUNDS,
      cpuUsPerLicense: {
        twice: (sign.twice as number[]).map(round2),
        once: (sign.once as number[]).map(round2),
        saved: saved.map(round2),
        resolveDeliveryKeys: (resolve.resolveDeliveryKeys as number[]).map(round2),
        resolveOwnWork: (resolve.ownWork as number[]).map(round2),
        prepared: (resolve.prepared as number[]).map(round2),
      },
    })}\n`,
  );
}

await main();
