/**
 * Signing throughput, all measured in this run on this machine:
 * - the local SM2 signer on 1 thread and on every core (worker pool),
 * - `openssl speed sm2` (OpenSSL's own SM2 sign/s: the baseline for 1 thread),
 * - the sm-crypto package (the popular pure-JS SM2),
 * - the remote signer against the signing-server simulator (5 ms per request, 1,000 signatures/s).
 * Bounded: a few seconds per row, traffic only to 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../adapters/signers/local-sm2/local-sm2-signer.js';
import { RemoteSigner } from '../adapters/signers/remote/remote-signer.js';
import { startSigningServerSimulator } from '../adapters/simulators/signing-server/signing-server-simulator.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const pair = generateSm2KeyPair();
const message = (i: number) =>
  Buffer.from(`{"identifier":"1.2.156.3005.2.x.${i}","holder":{"name":"经营者${i}"}}`, 'utf8');

interface Rate {
  /** Signatures per second of wall-clock time. */
  wall: number;
  /** Signatures per second of this process's CPU time (user + system), as `openssl speed` divides by CPU time. */
  cpu: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function localRate(workers: number | 'auto'): Promise<Rate> {
  const signer = new LocalSm2Signer('bench', {
    kind: 'local-sm2',
    key: pair.privateKeyPem,
    sealId: 'bench',
    distId: '1234567812345678',
    workers,
  });
  await signer.open();
  const batch = Array.from({ length: 512 }, (_, i) => message(i));
  await signer.sign(batch); // warm-up
  let signed = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  // Two batches in flight so a pool never waits on the main thread.
  const lane = async () => {
    while (performance.now() < deadline) {
      // Await first: `signed += await …` would read `signed` before the await and lose the other lane's counts.
      const done = await signer.sign(batch);
      signed += done.length;
    }
  };
  await Promise.all([lane(), lane()]);
  const rate = { wall: signed / ((performance.now() - start) / 1000), cpu: signed / cpuSeconds(cpu0) };
  await signer.close();
  return rate;
}

/** `openssl speed` divides by user CPU time unless `-elapsed` asks for wall-clock time. */
function opensslRate(elapsed: boolean): number {
  const args = ['speed', ...(elapsed ? ['-elapsed'] : []), '-seconds', String(SECONDS), 'sm2'];
  const res = spawnSync('openssl', args, { encoding: 'utf8' });
  const line = `${res.stdout}`.split('\n').find((l) => /SM2 \(CurveSM2\)/.test(l));
  const cols = line?.trim().split(/\s+/) ?? [];
  return Number(cols[cols.length - 2]);
}

function smCryptoRate(): Rate {
  const require = createRequire(import.meta.url);
  const sm2 = (require('sm-crypto') as { sm2: { doSignature(m: string, d: string, o: object): string } }).sm2;
  const d = loadSm2PrivateKey('bench', pair.privateKeyPem).privateKey.d.toString(16).padStart(64, '0');
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < Math.min(SECONDS, 2) * 1000) {
    sm2.doSignature(`message ${n}`, d, { hash: true, der: true });
    n++;
  }
  return { wall: n / ((performance.now() - start) / 1000), cpu: n / cpuSeconds(cpu0) };
}

async function remoteRate(capacity: number): Promise<number> {
  const sim = await startSigningServerSimulator({
    keys: { bench: { privateKeyPem: pair.privateKeyPem } },
    latencyMs: 5,
    capacityPerSecond: capacity,
  });
  const signer = new RemoteSigner('bench', {
    kind: 'remote',
    url: sim.url,
    sealId: 'bench',
    auth: { scheme: 'none' },
    distId: '1234567812345678',
    batchSize: 50,
    concurrency: 16,
    timeoutMs: 10_000,
    attempts: 5,
    backoffMs: 100,
  });
  await signer.open();
  await signer.sign(Array.from({ length: 50 }, (_, i) => message(i)));
  const total = capacity * SECONDS;
  const messages = Array.from({ length: total }, (_, i) => message(i));
  const start = performance.now();
  await signer.sign(messages);
  const rate = total / ((performance.now() - start) / 1000);
  await signer.close();
  await sim.close();
  return rate;
}

const cores = availableParallelism();
const one = await localRate(0);
const all = await localRate('auto');
const osslCpu = opensslRate(false);
const osslWall = opensslRate(true);
const smc = smCryptoRate();
const capacity = 1000;
const remote = await remoteRate(capacity);

const f = (v: number) => v.toFixed(0);
const rows: [string, string, string, string][] = [
  [
    'licbridge local-sm2, 1 thread',
    f(one.wall),
    f(one.cpu),
    `${(one.cpu / osslCpu).toFixed(2)}× openssl per CPU-s (target ≥ 1.0)`,
  ],
  [
    `licbridge local-sm2, ${cores} worker(s)`,
    f(all.wall),
    '-',
    `${(all.wall / one.wall).toFixed(2)}× 1 thread, wall (target ≥ 1.7)`,
  ],
  ['openssl speed sm2 (1 core)', f(osslWall), f(osslCpu), 'baseline (speed -elapsed / default)'],
  [
    'sm-crypto doSignature',
    f(smc.wall),
    f(smc.cpu),
    `licbridge 1 thread = ${(one.cpu / smc.cpu).toFixed(0)}× per CPU-s (target ≥ 50)`,
  ],
  [
    `remote → simulator (5 ms, ${capacity}/s)`,
    f(remote),
    '-',
    `${((remote / capacity) * 100).toFixed(1)}% of capacity (target ≥ 80%)`,
  ],
];
const w = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(
  `SM2 signing, ${SECONDS} s per row, ${cores} core(s), load average ${loadavg()[0]?.toFixed(2)}\n`,
);
process.stdout.write(
  `${'signer'.padEnd(w)}  ${'sign/s'.padStart(8)}  ${'per CPU-s'.padStart(9)}  comparison\n`,
);
for (const [name, wall, cpu, note] of rows) {
  process.stdout.write(`${name.padEnd(w)}  ${wall.padStart(8)}  ${cpu.padStart(9)}  ${note}\n`);
}
