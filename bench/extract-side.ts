/**
 * The extract stage's own CPU per license, without the source read and the ledger's SQL: map,
 * validate and identify a page of demo rows (the pipeline's mapper, today asked per row as a run
 * asks it), resolve predecessors (pipelines/lifecycle/predecessors.ts, the ledger's look-up
 * answering "none"), and what the page's commit asks of each candidate: its content hash and its
 * version's license (ledger/commit-page.ts). About one row in sixty renews a license of its page,
 * as the demo's renewals do, so each page resolves predecessors.
 * The baseline in the same run: the mapper alone; the hash is measured with it and less it.
 * `node dist-bench/bench/extract-side.js [rows] [rounds] [pageSize]` — pure CPU, no I/O.
 */
import { availableParallelism, loadavg } from 'node:os';
import { newRecord } from '../examples/west-coast/generate-legacy-db.js';
import { draw } from '../examples/west-coast/legacy-records.js';
import type { QuarantineCandidate, VersionCandidate, VersionLedger } from '../ledger/ledger.js';
import type { LicenseCandidate } from '../mappings/license-mapper.js';
import type { InputRow, InputValue } from '../mappings/types.js';
import { resolvePredecessors } from '../pipelines/lifecycle/predecessors.js';
import { lifecycleToday } from '../pipelines/lifecycle/settings.js';
import { procCpuSeconds } from './support/cpu-stages.js';
import { westCoastFoodMapper } from './support/west-coast-mapper.js';

const ROWS = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PAGE = Number(process.argv[4] ?? 500);
const PIPELINE = 'food-business-licenses';
const TYPE = '11370200MB12345674001';
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };
/** The main thread's own CPU time (its task id is the process id), not the GC and compiler threads'. */
const MAIN_THREAD = `/task/${process.pid}`;
/** Every RENEW_EVERY-th row renews the license of the row RENEW_EVERY / 2 before it. */
const RENEW_EVERY = 60;

function pages(n: number): InputRow[][] {
  const d = draw(42);
  const records = Array.from({ length: n }, (_, i) =>
    newRecord(d, i + 1, String(1_000_000 + i), new Date(Date.UTC(2016, 0, 1) + (i % 3000) * 86_400_000)),
  );
  records.forEach((r, i) => {
    const from = records[i - RENEW_EVERY / 2];
    if (i % RENEW_EVERY === RENEW_EVERY - 1 && from) r.YZSBH = from.XKZBH;
  });
  const rows = records.map((r) => ({
    key: String(r.ID),
    values: { ...r } as unknown as Record<string, InputValue>,
  }));
  const out: InputRow[][] = [];
  for (let i = 0; i < rows.length; i += PAGE) out.push(rows.slice(i, i + PAGE));
  return out;
}

/** The ledger holds none of the predecessors: those of the page are found in the page. */
const ledger = { predecessorIdentifiers: async () => new Map<string, string>() } as unknown as VersionLedger;

async function main(): Promise<void> {
  const { mapper } = await westCoastFoodMapper({
    pipeline: PIPELINE,
    licenseType: TYPE,
    issuer: ISSUER,
    today: lifecycleToday({}),
    timeZone: 'Asia/Shanghai',
  });
  const data = pages(ROWS);
  let sink = 0;
  let licenses = 0;
  const mapPage = (page: InputRow[]) => {
    const candidates: LicenseCandidate[] = [];
    for (const row of page) {
      const r = mapper(row, 'bench');
      if (r.ok) candidates.push(r.candidate);
    }
    return candidates;
  };
  /**
   * Main-thread CPU µs per row of the best of ROUNDS passes over every page: CPU time, not wall
   * time, so a loaded machine taking the core away between samples does not count.
   */
  const best = async (fn: (page: InputRow[]) => Promise<number> | number): Promise<number> => {
    let top = Number.POSITIVE_INFINITY;
    for (let r = 0; r < ROUNDS; r++) {
      const start = procCpuSeconds('self', MAIN_THREAD);
      for (const page of data) sink += await fn(page);
      top = Math.min(top, ((procCpuSeconds('self', MAIN_THREAD) - start) * 1e6) / ROWS);
    }
    return top;
  };
  const mapOnly = await best((page) => mapPage(page).length);
  // Resolution on pages mapped beforehand, so its own cost is not lost in the mapping's noise.
  const mapped = new Map(data.map((page) => [page, mapPage(page)]));
  const resolved = async (candidates: LicenseCandidate[]) => {
    const quarantined: QuarantineCandidate[] = [];
    return resolvePredecessors(ledger, PIPELINE, candidates, quarantined);
  };
  const resolveOnly = await best(async (page) => (await resolved(mapped.get(page) ?? [])).length);
  // The content hash is kept by the candidate once read: measured on fresh candidates, less the mapping.
  const commitSide = (ready: VersionCandidate[]) => {
    let n = 0;
    for (const c of ready) n += c.contentHash.length + c.build(1).identifier.length;
    return n;
  };
  const mapAndCommit = await best((page) => commitSide(mapPage(page)));
  const buildOnly = await best((page) => {
    let n = 0;
    for (const c of mapped.get(page) ?? []) n += c.build(1).identifier.length;
    return n;
  });
  for (const page of data) licenses += (await resolved(mapPage(page))).length;
  const fmt = (us: number) => us.toFixed(2).padStart(8);
  process.stdout.write(
    [
      `extract-side bench: ${ROWS.toLocaleString('en-US')} demo rows in pages of ${PAGE} (${licenses.toLocaleString('en-US')} licenses), best of ${ROUNDS}, main-thread CPU, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`,
      '| stage                                          | µs/row   |',
      '| ---------------------------------------------- | -------- |',
      `| map + validate + identify (baseline)           | ${fmt(mapOnly)} |`,
      `| resolve predecessors (pages mapped before)     | ${fmt(resolveOnly)} |`,
      `| build (version 1, pages mapped before)         | ${fmt(buildOnly)} |`,
      `| map + content hash + build, less the map alone | ${fmt(mapAndCommit - mapOnly)} |`,
      `(checksum ${sink})`,
      JSON.stringify({
        rows: ROWS,
        licenses,
        mapUs: mapOnly,
        resolveUs: resolveOnly,
        buildUs: buildOnly,
        hashAndBuildUs: mapAndCommit - mapOnly,
      }),
      '',
    ].join('\n'),
  );
}

await main();
