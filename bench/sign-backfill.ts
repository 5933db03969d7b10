/**
 * The full-size resume check of `licbridge sign backfill`: N unsigned ledger versions (default
 * 100,000, seeded through the Ledger API), the backfill killed with SIGKILL halfway, run again,
 * then exactly one signature per version is checked. Prints a table with the rate of each run
 * against the local signer's raw rate measured in the same run (the baseline).
 * `node dist-bench/bench/sign-backfill.js [N]`; uses the built CLI in dist/.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateSm2KeyPair } from '../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../adapters/signers/local-sm2/local-sm2-signer.js';
import { canonicalBytes, contentHash } from '../catalog/canonical.js';
import type { License } from '../catalog/license.js';
import { encodeKeyPosition } from '../connectors/key-position.js';
import { createLogger } from '../core/logger.js';
import type { VersionCandidate } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';

const N = Number(process.argv[2] ?? 100_000);
const ROOT = join(import.meta.dirname, '..', '..');
const PIPELINE = 'food-business-licenses';

function license(n: number, version: number): License {
  const id = `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B${String(n).padStart(9, '0')}`;
  return {
    identifier: `${id}.${String(version).padStart(3, '0')}.F`,
    number: `JY${n}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2021-03-04',
    validFrom: '2021-03-04',
    validTo: null,
    areaCode: '370211',
    holder: { name: `经营者${n}`, idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售'] },
  };
}

function candidate(n: number): VersionCandidate {
  const l = license(n, 1);
  return {
    licenseId: l.identifier.slice(0, -6),
    sourceKey: String(n),
    contentHash: contentHash(l),
    status: 'valid',
    lineage: {
      pipeline: PIPELINE,
      source: 'market-food',
      sourceKey: String(n),
      runId: 'seed',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build: (v) => license(n, v),
  };
}

function cli(
  args: string[],
  killWhen?: () => boolean,
): Promise<{ signal: string | null; stdout: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const poll = killWhen
      ? setInterval(() => {
          if (killWhen()) child.kill('SIGKILL');
        }, 50)
      : undefined;
    child.on('close', (_code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ signal, stdout, ms: performance.now() - start });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'licbridge-bench-backfill-'));
try {
  const pair = generateSm2KeyPair();
  await writeFile(join(dir, 'seal.pem'), pair.privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'legacy.db'), '');
  const ledgerFile = join(dir, 'ledger.db');
  const example = join(ROOT, 'examples', 'west-coast');
  const config = join(dir, 'licbridge.yaml');
  await writeFile(
    config,
    `ledger: { url: "sqlite://${ledgerFile}" }
catalog: ${join(example, 'catalog')}
log: { level: warn }
sources: { market-food: { kind: sqlite, path: ./legacy.db } }
pipelines:
  ${PIPELINE}:
    source: market-food
    stream: { table: T, key: ID }
    mapping: ${join(example, 'mappings', 'food-business-license.yaml')}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: seal
    targets: [province]
targets: { province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } } }
signers: { seal: { kind: local-sm2, keyFile: ${join(dir, 'seal.pem')}, sealId: "S1" } }
`,
  );
  const ledger = await openLedger(`sqlite://${ledgerFile}`, { logger: createLogger({ level: 'silent' }) });
  await ledger.migrate();
  await ledger.startRun({ runId: 'seed', pipeline: PIPELINE, mode: 'full' });
  for (let from = 1; from <= N; from += 2000) {
    const n = Math.min(2000, N - from + 1);
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'seed',
      checkpoint: encodeKeyPosition({ cursor: null, key: String(from + n - 1) }),
      rowsRead: n,
      candidates: Array.from({ length: n }, (_, i) => candidate(from + i)),
      quarantined: [],
    });
  }
  await ledger.close();

  // Baseline: the signer alone (all cores), canonical bytes of the same licenses, no ledger.
  const signer = new LocalSm2Signer('seal', {
    kind: 'local-sm2',
    key: pair.privateKeyPem,
    sealId: 'S1',
    distId: '1234567812345678',
    workers: 'auto',
  });
  await signer.open();
  const sample = Array.from({ length: 5000 }, (_, i) => canonicalBytes(license(i + 1, 1)));
  const t0 = performance.now();
  await signer.sign(sample);
  const raw = sample.length / ((performance.now() - t0) / 1000);
  await signer.close();

  const db = new Database(ledgerFile, { readonly: true });
  const signed = () => (db.prepare('select count(*) as n from signatures').get() as { n: number }).n;
  const first = await cli(['sign', 'backfill', '--json', '--config', config], () => signed() >= N / 2);
  const atKill = signed();
  const second = await cli(['sign', 'backfill', '--json', '--config', config]);
  const total = signed();
  const distinct = (
    db.prepare('select count(distinct version_id) as n from signatures').get() as { n: number }
  ).n;
  db.close();
  const s2 = JSON.parse(second.stdout) as { signed: number };
  const rows = [
    ['signer alone (baseline)', raw.toFixed(0), ''],
    [
      `backfill run 1 (SIGKILL: ${first.signal})`,
      ((atKill / first.ms) * 1000).toFixed(0),
      `${atKill} recorded before the kill`,
    ],
    [
      'backfill run 2 (resume)',
      ((s2.signed / second.ms) * 1000).toFixed(0),
      `${s2.signed} signed, incl. process start`,
    ],
  ];
  process.stdout.write(`sign backfill of ${N} versions, SIGKILL halfway, then resumed\n`);
  for (const [a, b, c] of rows)
    process.stdout.write(`${(a ?? '').padEnd(34)} ${(b ?? '').padStart(7)}/s  ${c}\n`);
  const ok = total === N && distinct === N && atKill + s2.signed === N;
  process.stdout.write(
    `signatures ${total}, distinct versions ${distinct}, expected ${N}: ${ok ? 'exactly one each' : 'MISMATCH'}\n`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
