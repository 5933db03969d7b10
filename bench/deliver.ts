/**
 * Delivery throughput: N signed license versions (default 100,000) delivered through the
 * `deliver-<target>` queue and workers to the province simulator answering after 20 ms, against
 * a baseline in the same run: the same batches POSTed by the REST adapter alone (no queue, no
 * ledger) with the same concurrency. Prints licenses/s for both and Redis commands per license
 * (from a redis-server of the bench's own, so other traffic does not count).
 *
 * `--faults`: the issue's fault scenario instead — 10,000 licenses to the province REST and the
 * city SOAP simulators, each failing 30 % of requests with 5xx and holding 10 % open past the
 * timeout; prints delivered and duplicates per platform.
 *
 * `node dist-bench/bench/deliver.js [N] [--faults]`
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestJsonTargetConfig } from '../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem } from '../adapters/platforms/target.js';
import { generateSm2KeyPair } from '../adapters/signers/local-sm2/keys.js';
import { startCitySoapSimulator } from '../adapters/simulators/city-soap/city-soap-simulator.js';
import { startProvinceSimulator } from '../adapters/simulators/province/province-simulator.js';
import type { License } from '../catalog/license.js';
import { loadConfig } from '../config/loader.js';
import { encodeKeyPosition } from '../connectors/key-position.js';
import { createLogger } from '../core/logger.js';
import { generateLegacyDatabase } from '../examples/west-coast/generate-legacy-db.js';
import type { VersionCandidate } from '../ledger/ledger.js';
import { deliverJobOptions } from '../pipelines/jobs.js';
import { createQueues } from '../pipelines/queues.js';
import { createRedisClient, queueConnection } from '../pipelines/redis.js';
import { Runtime } from '../pipelines/runtime.js';
import { startWorkers } from '../pipelines/workers.js';

const args = process.argv.slice(2);
const FAULTS = args.includes('--faults');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? (FAULTS ? 10_000 : 100_000));
const JOB = 1000;
const BATCH = 500;
const CONCURRENCY = 16;
const PIPELINE = 'bench';
const SEAL = 'bench-seal';
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

function license(n: number, status: License['status'] = 'valid'): License {
  const serial = String(n).padStart(10, '0');
  return {
    identifier: `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.${serial}.001.F`,
    number: `JY2370211${serial}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2023-04-05',
    validFrom: '2023-04-05',
    validTo: '2028-04-04',
    areaCode: '370211',
    holder: { name: '经营者', idType: '001', id: '91370211MA3C000000' },
    status,
    surface: { businessItems: ['预包装食品销售'], premises: '长江中路1号' },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve) =>
    p.stdout?.on('data', (d: Buffer) => d.toString().includes('Ready') && resolve()),
  );
  return p;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-deliver-'));
  const port = await freePort();
  const redisProc = await startRedis(port);
  const redisUrl = `redis://127.0.0.1:${port}`;
  const faults = FAULTS ? { errorRate: 0.3, timeoutRate: 0.1, seed: 7 } : undefined;
  const latencyMs = FAULTS ? 0 : 20;
  const province = await startProvinceSimulator({ faults: { latencyMs, ...(faults ?? {}) } });
  const city = FAULTS ? await startCitySoapSimulator({ faults: { ...faults, seed: 8 } }) : undefined;
  try {
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    await mkdir(join(dir, 'data'), { recursive: true });
    await generateLegacyDatabase(join(dir, 'data', 'legacy.db'), { rows: 10, seed: 1 });
    // Owner-only, as the signer requires of a key file (`${file:…}` references included).
    await writeFile(join(dir, 'data', 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    const targetCommon = `batchSize: ${BATCH}, concurrency: ${CONCURRENCY}, timeoutMs: ${FAULTS ? 2000 : 10000}, attempts: 50, backoffMs: 50`;
    await writeFile(
      join(dir, 'licbridge.yaml'),
      `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "${redisUrl}", prefix: bench }
catalog: ./catalog
log: { level: silent }
sources:
  s: { kind: sqlite, path: ./data/legacy.db }
pipelines:
  ${PIPELINE}:
    source: s
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: seal
    targets: [${FAULTS ? 'province, city' : 'province'}]
signers:
  seal: { kind: local-sm2, key: "\${file:./data/seal.key.pem}", sealId: ${SEAL} }
targets:
  province: { kind: rest-json, url: "${province.url}", ${targetCommon} }
${city ? `  city: { kind: soap-xml, url: "${city.url}", ${targetCommon} }\n` : ''}`,
    );
    const config = await loadConfig({ file: join(dir, 'licbridge.yaml'), env: {} });
    const logger = createLogger({ level: 'silent' });
    const rt = new Runtime(config, logger);
    const ledger = await rt.ledger();

    // N versions and signatures written straight to the ledger: this bench measures delivery only.
    const runId = 'bench-run';
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const ids: number[] = [];
    for (let from = 0; from < N; from += 1000) {
      const cands: VersionCandidate[] = [];
      for (let n = from; n < Math.min(N, from + 1000); n++) {
        const l = license(n);
        cands.push({
          licenseId: l.identifier.slice(0, -6),
          sourceKey: String(n),
          contentHash: `h${n}`,
          status: 'valid',
          lineage: {
            pipeline: PIPELINE,
            source: 's',
            sourceKey: String(n),
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: () => l,
        });
      }
      const r = await ledger.commitPage({
        pipeline: PIPELINE,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(from) }),
        rowsRead: cands.length,
        candidates: cands,
        quarantined: [],
      });
      await ledger.recordSignatures(
        r.created.map((c) => ({
          versionId: c.versionId,
          contentHash: `h${c.versionId}`,
          algorithm: '1.2.156.10197.1.501',
          digest: 'ab'.repeat(32),
          signature: new Uint8Array(72).fill(1),
          distId: '1234567812345678',
          sealId: SEAL,
          signerKind: 'local-sm2',
          certificateSerial: null,
          certificateIssuer: null,
          signedAt: new Date(),
        })),
      );
      ids.push(...r.created.map((c) => c.versionId));
    }

    const rows: string[][] = [];
    if (!FAULTS) {
      // Baseline: the adapter alone, same batches and concurrency, to a fresh simulator.
      const raw = await startProvinceSimulator({ faults: { latencyMs } });
      const adapter = new RestJsonTarget('raw', {
        ...(config.targets.province as RestJsonTargetConfig),
        url: raw.url,
      });
      const versions = await ledger.getVersions(ids.slice(0, 1));
      const sample = versions[0];
      const items: DeliveryItem[] = Array.from({ length: N }, (_, n) => ({
        key: `raw-${n}:1:raw`,
        licenseId: `raw-${n}`,
        version: 1,
        operation: 'issue',
        license: sample ? { ...sample.payload, identifier: license(n).identifier } : license(n),
        signature: { algorithm: 'sm2', value: 'AQEB', digest: 'ab', sealId: SEAL },
      }));
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (;;) {
            const start = next;
            next += JOB;
            if (start >= N) return;
            await adapter.deliver(items.slice(start, start + JOB));
          }
        }),
      );
      const rawSeconds = (performance.now() - t0) / 1000;
      await adapter.close();
      await raw.close();
      rows.push([
        'adapter alone (baseline)',
        N.toLocaleString(),
        rawSeconds.toFixed(2),
        Math.round(N / rawSeconds).toLocaleString(),
        '-',
      ]);
    }

    const redis = createRedisClient(redisUrl, {});
    // Redis counts INFO itself and the commands of every client; all clients here are this bench's.
    const commands = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
    const connection = queueConnection(redisUrl);
    const targets = Object.keys(config.targets);
    const queues = createQueues(connection, 'bench', targets);
    const cmd0 = await commands();
    const t0 = performance.now();
    const workers = startWorkers(rt, { connection, prefix: 'bench', queues, stages: ['deliver'] });
    for (const t of targets) {
      const q = queues.deliver.get(t);
      for (let i = 0; i < ids.length; i += JOB) {
        const part = ids.slice(i, i + JOB);
        await q?.add(
          'deliver',
          { pipeline: PIPELINE, runId, target: t, versionIds: part },
          { jobId: `b-${t}-${i}`, ...deliverJobOptions(rt.config, t) },
        );
      }
    }
    for (;;) {
      const p = await ledger.runProgress(runId, SEAL, targets);
      if (targets.every((t) => (p.delivered[t] ?? 0) + (p.dead[t] ?? 0) >= N)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    const perLicense = ((await commands()) - cmd0) / (N * targets.length);
    await workers.close();
    await queues.close();
    redis.disconnect();
    const progress = await ledger.runProgress(runId, SEAL, targets);
    await rt.close();
    rows.push([
      `licbridge queue + ledger (${targets.join(' + ')})`,
      N.toLocaleString(),
      seconds.toFixed(2),
      Math.round((N * targets.length) / seconds).toLocaleString(),
      perLicense.toFixed(3),
    ]);

    const header = ['path', 'licenses', 'seconds', 'deliveries/s', 'Redis cmds/license'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
    console.log(
      FAULTS
        ? `fault run: 30 % 5xx + 10 % timeouts on every platform`
        : `province simulator latency ${latencyMs} ms; jobs of ${JOB}, batches of ${BATCH}, concurrency ${CONCURRENCY}`,
    );
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
    if (rows.length === 2) {
      const ratio = Number(rows[1]?.[3]?.replaceAll(',', '')) / Number(rows[0]?.[3]?.replaceAll(',', ''));
      console.log(`licbridge / baseline: ${ratio.toFixed(2)}  (target: ≥ 5,000 licenses/s)`);
    }
    for (const [name, sim] of [
      ['province', province],
      ['city', city],
    ] as const) {
      if (!sim) continue;
      const s = sim.stats();
      console.log(
        `${name}: delivered ${progress.delivered[name] ?? 0}, dead ${progress.dead[name] ?? 0}, held ${s.accepted}, duplicates ${s.duplicates}, faults injected ${s.faultsInjected} of ${s.requests} requests`,
      );
    }
  } finally {
    await province.close();
    await city?.close();
    redisProc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
