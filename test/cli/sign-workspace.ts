/** A temp workspace for the sign/verify CLI tests: the demo's catalog and mappings, a fresh seal key and ledger. */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { contentHash } from '../../catalog/canonical.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';
import { candidates, FIXTURE_ISSUER } from '../ledger/fixtures.js';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';
import { licbridge } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'cli', 'main.js');
export const PIPELINE = 'food-business-licenses';

export interface SignWorkspace {
  dir: string;
  configFile: string;
  ledgerFile: string;
  cleanup(): Promise<void>;
}

/** Writes a config whose pipeline signs with `district-seal`; `extraSigners` is appended YAML. */
export async function createSignWorkspace(extraSigners = ''): Promise<SignWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-sign-'));
  const example = join(ROOT, 'examples', 'west-coast');
  await cp(join(example, 'catalog'), join(dir, 'catalog'), { recursive: true });
  await cp(join(example, 'mappings'), join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'keys'), { recursive: true });
  await writeFile(join(dir, 'keys', 'seal.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'keys', 'new-seal.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'legacy.db'), '');
  const ledgerFile = join(dir, 'ledger.db');
  const configFile = join(dir, 'licbridge.yaml');
  await writeFile(
    configFile,
    `ledger: { url: "sqlite://./ledger.db" }
catalog: ./catalog
log: { level: warn }
sources:
  market-food: { kind: sqlite, path: ./legacy.db }
pipelines:
  ${PIPELINE}:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]
targets:
  province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'keys', 'seal.pem')}, sealId: "3702110000001" }
  new-seal: { kind: local-sm2, keyFile: ${join(dir, 'keys', 'new-seal.pem')}, sealId: "3702110000002" }
${extraSigners}`,
  );
  return { dir, configFile, ledgerFile, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The issuing unit of the workspace's pipeline, as its config states it. */
export const WORKSPACE_ISSUER = '11370211MB12345672';

/**
 * Seeds `count` license versions through the ledger API, in pages like the extract stage writes,
 * issued by `issuer` (the pipeline's by default: a version is signed only by a signer of its own
 * unit), numbered from `from`, under run `runId`.
 */
export async function seedVersions(
  ledgerUrl: string,
  count: number,
  { issuer = WORKSPACE_ISSUER, from: first = 1, runId = 'seed' } = {},
): Promise<void> {
  // A new SQLite ledger is filled from the script of what the migrations leave, as a demo
  // workspace's is (../ledger/sqlite-ledger-template.ts), instead of running them all; one there
  // already is left as it is.
  const file = ledgerUrl.startsWith('sqlite://') ? ledgerUrl.slice('sqlite://'.length) : undefined;
  if (file) await markSqliteLedger(file);
  const ledger = await openLedger(ledgerUrl, { logger: quietLogger });
  try {
    await ledger.migrate();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    for (let from = first; from < first + count; from += 1000) {
      const n = Math.min(1000, first + count - from);
      await ledger.commitPage({
        pipeline: PIPELINE,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(from + n - 1) }),
        rowsRead: n,
        // The real content hash, as the extract stage computes it, so verification can re-check it.
        candidates: candidates(from, n, { pipeline: PIPELINE, runId }).map((c) => {
          const build = (version: number) => {
            const l = c.build(version);
            return {
              ...l,
              identifier: l.identifier.replace(FIXTURE_ISSUER, issuer),
              issuer: { ...l.issuer, code: issuer },
            };
          };
          return {
            ...c,
            licenseId: c.licenseId.replace(FIXTURE_ISSUER, issuer),
            build,
            contentHash: contentHash(build(1)),
          };
        }),
        quarantined: [],
      });
    }
  } finally {
    await ledger.close();
    if (file) unmarkSqliteLedger(file);
  }
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command: in the test process (test/support/cli.ts), or as the built CLI when `onSpawn`
 * is given (it may kill it) or the run is asked to crash.
 */
export async function runCli(
  args: string[],
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<CliResult> {
  if (!onSpawn) {
    const r = await licbridge(args);
    return { ...r, signal: r.signal ?? null };
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}
