/**
 * SM2 verification of a key that keeps coming back (an OFD's signer and seal maker, a remote
 * signing server's key, the seal key of `licbridge verify`), all measured in this run:
 * - the shared doubling chain every verification used before (s·G + t·P, Strauss–Shamir, no table),
 * - `sm2Verify` with the key's table (local-sm2/verify-tables.ts), and what building it costs,
 * - `openssl speed sm2` verify/s (C, the reference),
 * - parsing the key's certificate each time (X509Certificate) against `parseCertificate`'s cache.
 * CPU µs per operation (this process's user + system time): steadier than wall time on a loaded
 * machine. The two verification paths take turns, batch by batch. Ends with one JSON line.
 * `BENCH_SECONDS=2 node dist-bench/bench/verify.js`
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '../adapters/signers/certificate.js';
import { bytesToBigInt, modN, Sm2Point } from '../adapters/signers/local-sm2/curve.js';
import {
  generateSm2KeyPair,
  loadSm2PrivateKey,
  parseSm2PublicKeyPem,
} from '../adapters/signers/local-sm2/keys.js';
import {
  decodeSm2Signature,
  type Sm2SignatureValue,
  sm2Digest,
  sm2Sign,
  sm2Verify,
} from '../adapters/signers/local-sm2/sm2.js';
import { clearVerifyTables, TABLE_AFTER_USES } from '../adapters/signers/local-sm2/verify-tables.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const DIST_ID = '1234567812345678';
const pair = generateSm2KeyPair();
const messages = Array.from({ length: 64 }, (_, i) => Buffer.from(`{"证照编号":"370211${i}"}`, 'utf8'));
const { privateKey } = loadSm2PrivateKey('bench', pair.privateKeyPem);
const signatures = messages.map((m) => sm2Sign(privateKey, m, DIST_ID));

function cpuUs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return u.user + u.system;
}

/** The verification of before: e, then s·G + t·P through one shared doubling chain. */
function chainVerify(pem: string, message: Uint8Array, der: Uint8Array): boolean {
  const key = parseSm2PublicKeyPem(pem);
  const { r, s }: Sm2SignatureValue = decodeSm2Signature(der);
  const t = modN(r + s);
  const point = Sm2Point.BASE.mulAddUnsafe(s, key, t);
  return modN(bytesToBigInt(sm2Digest(key, message, DIST_ID)) + point.toAffine().x) === r;
}

function tableVerify(pem: string, message: Uint8Array, der: Uint8Array): boolean {
  return sm2Verify(parseSm2PublicKeyPem(pem), message, der, DIST_ID);
}

/** CPU µs per verification of each path, alternating batches of the 64 messages. */
function verifyRates(): { chainUs: number; tableUs: number } {
  const paths = { chain: chainVerify, table: tableVerify };
  const total = { chain: { us: 0, n: 0 }, table: { us: 0, n: 0 } };
  const deadline = performance.now() + SECONDS * 2000;
  while (performance.now() < deadline) {
    for (const name of ['chain', 'table'] as const) {
      const cpu0 = process.cpuUsage();
      for (const [i, m] of messages.entries()) {
        if (!paths[name](pair.publicKeyPem, m, signatures[i] as Uint8Array))
          throw new Error(`${name}: fails`);
      }
      total[name].us += cpuUs(cpu0);
      total[name].n += messages.length;
    }
  }
  return { chainUs: total.chain.us / total.chain.n, tableUs: total.table.us / total.table.n };
}

/** CPU ms for the uses that end with the key's table built (G's included, from a cold start). */
function tableBuildMs(): number {
  clearVerifyTables();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < TABLE_AFTER_USES; i++)
    tableVerify(pair.publicKeyPem, messages[0] as Buffer, signatures[0] as Uint8Array);
  return cpuUs(cpu0) / 1000;
}

function opensslVerifyUs(): number {
  const res = spawnSync('openssl', ['speed', '-seconds', String(SECONDS), 'sm2'], { encoding: 'utf8' });
  const line = `${res.stdout}`.split('\n').find((l) => /SM2 \(CurveSM2\)/.test(l));
  const cols = line?.trim().split(/\s+/) ?? [];
  return 1e6 / Number(cols[cols.length - 1]);
}

function certificateRates(): { parseUs: number; cachedUs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'licbridge-bench-verify-'));
  try {
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem);
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'key.pem',
        '-sm3',
        '-sigopt',
        `distid:${DIST_ID}`,
        '-subj',
        '/CN=seal maker',
        '-days',
        '30',
        '-out',
        'cert.pem',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl req: ${r.stderr}`);
    const pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const n = 2000;
    let cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const c = new X509Certificate(pem);
      c.toString();
      c.publicKey.export({ type: 'spki', format: 'pem' });
    }
    const parseUs = cpuUs(cpu0) / n;
    cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) parseCertificate('bench', pem, 'cert.pem');
    return { parseUs, cachedUs: cpuUs(cpu0) / n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const buildMs = tableBuildMs();
const { chainUs, tableUs } = verifyRates();
const osslUs = opensslVerifyUs();
const { parseUs, cachedUs } = certificateRates();
const f = (v: number) => v.toFixed(1);
console.table([
  { what: 'SM2 verify, shared chain (before)', 'CPU µs': f(chainUs) },
  {
    what: "SM2 verify, the key's table",
    'CPU µs': f(tableUs),
    ratio: `${(chainUs / tableUs).toFixed(2)}× faster`,
  },
  { what: 'openssl speed sm2 verify', 'CPU µs': f(osslUs) },
  { what: `tables built (${TABLE_AFTER_USES} uses, cold)`, 'CPU µs': f(buildMs * 1000) },
  { what: 'certificate parse (before)', 'CPU µs': f(parseUs) },
  { what: 'certificate, cached', 'CPU µs': f(cachedUs), ratio: `${(parseUs / cachedUs).toFixed(1)}× faster` },
]);
console.log(
  JSON.stringify({
    verifyChainUs: Math.round(chainUs),
    verifyTableUs: Math.round(tableUs),
    verifySpeedup: Number((chainUs / tableUs).toFixed(2)),
    opensslVerifyUs: Math.round(osslUs),
    tableBuildMs: Number(buildMs.toFixed(1)),
    certificateParseUs: Math.round(parseUs),
    certificateCachedUs: Math.round(cachedUs),
  }),
);
