/**
 * `licbridge sign backfill --files` over the demo department: the versions an extract left
 * unsigned are signed, then each valid one gets exactly one sealed license file (the demo's revoked,
 * cancelled and suspended licenses are owed none). The built CLI, in its own
 * process, kills itself at an exact place (core/crash-point.ts) — after a page of files is recorded,
 * or after a page is written but before the ledger records it — and the rerun finishes with one
 * file per version whose SM3 the ledger holds; a third run issues nothing. The commands that are
 * not to crash run in the test's process (../support/cli.ts), as the integration tests run them.
 * Needs the built CLI (`npm run build`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_LOCK } from '../../adapters/documents/file-store.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { type CliResult, licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { sealKit } from './seal-kit.js';

const PIPELINE = 'food-business-licenses';
// Pages of 10 files: what each test checks depends on the count of pages, not on their size, and
// each file is made and sealed once a test (with pages of 20 the demo needed twice the rows).
const PAGE = 10;

interface Prepared {
  ws: DemoWorkspace;
  store: string;
  ledgerUrl: string;
  /** Versions in the ledger after the extract, none of them signed. */
  versions: number;
  /** Of those, the valid ones: the versions owed a license file. */
  valid: number;
}

interface BackfillSummary {
  signed: number;
  remaining: number;
  stopped: boolean;
  files: {
    issued: number;
    withoutTemplate: number;
    faceOverflow: number;
    faceOverflows: unknown[];
    bytes: number;
    leftoversRemoved: number;
    unlistedRemoved: number;
    notInStore: number;
  };
}

/**
 * The demo workspace plus a seal made here (its holder a second signer, its maker trusted), and
 * the demo's rows extracted into the ledger in process — versions without signatures or files.
 */
async function prepare(): Promise<Prepared> {
  // Enough rows for more than five pages of files (each test checks its own count of them): some
  // two in five of the demo's licenses are valid, the versions owed a file.
  const ws = await createDemoWorkspace({ rows: 160 });
  const kit = await sealKit(ws.dir);
  const yaml = readFileSync(ws.configFile, 'utf8').replace(
    'signers:\n',
    `signers:\n  seal-holder: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: "37021100000001", workers: 0 }\n`,
  );
  await writeFile(
    ws.configFile,
    `${yaml}seals:\n  district-stamp: { file: ${kit.sealFile}, signer: seal-holder }\ntrust:\n  seal-maker: { sealId: maker, file: ${kit.maker.certPath} }\n`,
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const runtime = new Runtime(config, createLogger({ level: 'silent' }));
  try {
    const parts = await runtime.pipeline(PIPELINE);
    const ledger = await runtime.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    await extractPipeline(parts, ledger, {
      runId,
      full: true,
      onPage: async () => {},
      logger: runtime.logger,
    });
  } finally {
    await runtime.close();
  }
  const ledgerUrl = `sqlite://${join(ws.dir, 'data', 'ledger.db')}`;
  const versions = await withLedger(ledgerUrl, (l) => l.countUnsignedVersions({ sealId: '3702110000001' }));
  const valid = await withLedger(ledgerUrl, async (l) => {
    let n = 0;
    for (let after = 0; ; ) {
      const page = await l.versionPage({ afterVersionId: after, limit: 500 });
      if (page.length === 0) return n;
      after = (page[page.length - 1] as { versionId: number }).versionId;
      n += page.filter((v) => v.status === 'valid').length;
    }
  });
  return { ws, store: join(ws.dir, 'files'), ledgerUrl, versions, valid };
}

async function withLedger<T>(
  url: string,
  work: (l: Awaited<ReturnType<typeof openLedger>>) => Promise<T>,
): Promise<T> {
  const ledger = await openLedger(url, { logger: createLogger({ level: 'silent' }) });
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/**
 * `sign backfill --files` over the prepared demo. Asked to crash at `crashAt`, it runs as the built
 * CLI in its own process, which kills itself there; otherwise in this process (../support/cli.ts).
 * The seal's signer signs for no pipeline and its certificate states no credit code, so which
 * unit's seal it is cannot be told: the pipeline it seals is named (docs/ofd.md).
 */
function backfill(p: Prepared, crashAt?: string): Promise<CliResult> {
  return licbridge(
    [
      'sign',
      'backfill',
      '--files',
      '--seal',
      'district-stamp',
      '--pipeline',
      PIPELINE,
      '--store',
      p.store,
      '--files-page-size',
      String(PAGE),
      '--json',
      '--config',
      p.ws.configFile,
    ],
    { env: { LICBRIDGE_LOG_LEVEL: 'warn', ...(crashAt ? { LICBRIDGE_TEST_CRASH_AT: crashAt } : {}) } },
  );
}

/** Every file under the store (temporary files of an interrupted write included), sorted. */
function allFiles(store: string): string[] {
  return (readdirSync(store, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(store.length + 1))
    .sort();
}

/** The same without the store's lock (left behind by a killed run, taken over by the next). */
const filesOnDisk = (store: string): string[] => allFiles(store).filter((f) => f !== STORE_LOCK);

const recorded = (p: Prepared): Promise<StoredLicenseFile[]> =>
  withLedger(p.ledgerUrl, (l) => l.licenseFiles.list({}));

/** One file per version on disk and in the ledger, each the bytes the ledger's SM3 and size name. */
async function expectOneFilePerVersion(p: Prepared): Promise<StoredLicenseFile[]> {
  const rows = await recorded(p);
  expect(rows).toHaveLength(p.valid);
  expect(new Set(rows.map((r) => r.versionId)).size).toBe(p.valid);
  // Nothing else: no temporary file, and no lock once the run has ended.
  expect(allFiles(p.store)).toEqual(rows.map((r) => r.path).sort());
  for (const r of rows) {
    const bytes = readFileSync(join(p.store, r.path));
    expect(bytes.length).toBe(r.size);
    expect(createHash('sm3').update(bytes).digest('hex')).toBe(r.sm3);
  }
  return rows;
}

describe('sign backfill --files over the demo', () => {
  let prepared: Prepared | undefined;
  afterEach(async () => {
    await prepared?.ws.cleanup();
    prepared = undefined;
  });

  it('killed after its 2nd page of files, a rerun issues the rest once and a third run nothing', async () => {
    const p = await prepare();
    prepared = p;
    expect(p.valid).toBeGreaterThan(5 * PAGE);
    expect(p.valid).toBeLessThan(p.versions);

    const killed = await backfill(p, 'files-page-recorded:2');
    expect(killed.signal).toBe('SIGKILL');
    // The killed run's lock is left; the rerun takes it over (its process is gone) and releases it.
    expect(allFiles(p.store)).toContain(STORE_LOCK);
    // Signatures come first and were all recorded; then exactly two pages of files.
    expect(await withLedger(p.ledgerUrl, (l) => l.countUnsignedVersions({ sealId: '3702110000001' }))).toBe(
      0,
    );
    expect(await recorded(p)).toHaveLength(2 * PAGE);
    expect(filesOnDisk(p.store)).toHaveLength(2 * PAGE);

    const rest = await backfill(p);
    expect(rest.stderr).not.toMatch(/error/i);
    expect(rest.status).toBe(0);
    const summary = JSON.parse(rest.stdout) as BackfillSummary;
    expect(summary).toMatchObject({ signed: 0, remaining: 0, stopped: false });
    expect(summary.files).toMatchObject({ issued: p.valid - 2 * PAGE, withoutTemplate: 0 });
    expect(rest.stderr).toMatch(/sign backfill: \d+ license file\(s\) issued/);

    const rows = await expectOneFilePerVersion(p);
    // Rows come by version id, the order files are issued in: the first two pages were the kill's.
    expect(summary.files.bytes).toBe(rows.slice(2 * PAGE).reduce((n, r) => n + r.size, 0));

    // An independent check of a sample: the CLI's own verifier, with the config's trust.
    const sample = [rows[0], rows[2 * PAGE], rows[rows.length - 1]] as StoredLicenseFile[];
    const verified = await licbridge([
      'verify',
      '--file',
      ...sample.map((r) => join(p.store, r.path)),
      '--config',
      p.ws.configFile,
    ]);
    expect(verified.stdout, verified.stderr).toContain('verify: 3 file(s): all valid');
    expect(verified.status).toBe(0);

    const third = await backfill(p);
    expect(third.status).toBe(0);
    expect((JSON.parse(third.stdout) as BackfillSummary).files).toEqual({
      issued: 0,
      withoutTemplate: 0,
      faceOverflow: 0,
      faceOverflows: [],
      otherUnit: 0,
      otherUnits: [],
      storedText: 0,
      storedTexts: [],
      bytes: 0,
      leftoversRemoved: 0,
      unlistedRemoved: 0,
      notInStore: 0,
    });
    expect(await recorded(p)).toEqual(rows);
  }, 180_000);

  it('killed with a page written but not recorded, the rerun issues those versions again in place', async () => {
    const p = await prepare();
    prepared = p;

    const killed = await backfill(p, 'files-page-written:2');
    expect(killed.signal).toBe('SIGKILL');
    // Page 1 recorded; page 2's files are on disk and the ledger does not know them.
    const before = await recorded(p);
    expect(before).toHaveLength(PAGE);
    const onDisk = filesOnDisk(p.store);
    expect(onDisk).toHaveLength(2 * PAGE);
    const orphans = onDisk.filter((f) => !before.some((r) => r.path === f));
    expect(orphans).toHaveLength(PAGE);
    const orphanSm3 = new Map(
      orphans.map((f) => [
        f,
        createHash('sm3')
          .update(readFileSync(join(p.store, f)))
          .digest('hex'),
      ]),
    );

    const rest = await backfill(p);
    expect(rest.status).toBe(0);
    expect((JSON.parse(rest.stdout) as BackfillSummary).files.issued).toBe(p.valid - PAGE);

    const rows = await expectOneFilePerVersion(p);
    // The unrecorded files were issued again (a new signing time, so new bytes) at the same path.
    for (const r of rows.filter((x) => orphanSm3.has(x.path))) {
      expect(r.sm3).not.toBe(orphanSm3.get(r.path));
    }
    expect(rows.filter((x) => orphanSm3.has(x.path))).toHaveLength(PAGE);

    const third = await backfill(p);
    expect((JSON.parse(third.stdout) as BackfillSummary).files.issued).toBe(0);
  }, 180_000);

  it('refuses a revoked seal before its first signature, naming the seal', async () => {
    const p = await prepare();
    prepared = p;
    const yaml = readFileSync(p.ws.configFile, 'utf8');
    const revoked = yaml.replace('signer: seal-holder }', 'signer: seal-holder, status: revoked }');
    expect(revoked).not.toBe(yaml);
    await writeFile(p.ws.configFile, revoked);

    const r = await backfill(p);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('seal district-stamp: marked revoked in the config; refusing to sign');
    expect(await withLedger(p.ledgerUrl, (l) => l.countUnsignedVersions({ sealId: '3702110000001' }))).toBe(
      p.versions,
    );
    expect(await recorded(p)).toHaveLength(0);
  }, 120_000);

  it('refuses --files without a seal, naming it', async () => {
    const r = await licbridge(['sign', 'backfill', '--files', '--store', '/nonexistent']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('sign backfill: --files needs --seal <seal>');
    expect(r.stderr).not.toContain('--store <dir>');
    const both = await licbridge(['sign', 'backfill', '--files']);
    expect(both.stderr).toContain('--files needs --seal <seal>');
  });

  it("takes the store from the config's licenseFiles.store, and without one refuses before signing", async () => {
    const p = await prepare();
    prepared = p;
    const args = [
      'sign',
      'backfill',
      '--files',
      '--seal',
      'district-stamp',
      '--pipeline',
      PIPELINE,
      '--json',
      '--config',
      p.ws.configFile,
    ];
    const yaml = readFileSync(p.ws.configFile, 'utf8');
    expect(yaml).not.toContain('licenseFiles');
    const refused = await licbridge(args);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `sign backfill: no file store: give \`--store <dir>\` or set \`licenseFiles.store\` in ${p.ws.configFile}`,
    );
    expect(await withLedger(p.ledgerUrl, (l) => l.countUnsignedVersions({ sealId: '3702110000001' }))).toBe(
      p.versions,
    );
    // Relative to the config file, as every path of the config.
    await writeFile(p.ws.configFile, `${yaml}licenseFiles: { store: ./files }\n`);
    const r = await licbridge(args, { env: { LICBRIDGE_LOG_LEVEL: 'warn' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`sign backfill: ${p.valid} license file(s) issued`);
    expect((JSON.parse(r.stdout) as BackfillSummary).files.issued).toBe(p.valid);
    expect(await recorded(p)).toHaveLength(p.valid);
    expect(filesOnDisk(p.store)).toHaveLength(p.valid);
  }, 120_000);
});
