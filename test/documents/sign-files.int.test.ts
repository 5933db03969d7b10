// `licbridge sign files` over a ledger of stock versions: exactly one sealed file per version,
// recorded with its SM3 and size; killed with SIGKILL halfway it resumes; a rerun issues nothing.
// Only the run that is killed is its own process (the built CLI); the resume, the rerun and the
// refusal run in process (../support/cli.ts), as the exit status and output are all they check.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { createLogger } from '../../core/logger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { BIN, licbridge, ROOT } from '../support/cli.js';
import { commitLicenses, signFilesConfig, storedFoodLicense, upTo } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const N = 120;
const PIPELINE = 'food';

/** Runs the built `licbridge sign files` and SIGKILLs it once `killAfter` files are reported. */
function signFilesKilled(
  args: string[],
  killAfter: number,
): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sign', 'files', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const issued = [...d.matchAll(/sign files: (\d+) file\(s\) issued/g)].map((m) => Number(m[1]));
      if (issued.some((n) => n >= killAfter)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

function ofdFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd')).sort();
}

describe('licbridge sign files', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let config: string;
  let ledgerUrl: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    writeFileSync(join(dir, 'legacy.db'), '');
    config = join(dir, 'licbridge.yaml');
    writeFileSync(config, signFilesConfig(kit, { ledgerUrl, pipeline: PIPELINE }));
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    await ledger.migrate();
    await commitLicenses(
      ledger,
      { pipeline: PIPELINE, runId: 'seed', mode: 'full' },
      upTo(N),
      storedFoodLicense,
    );
    await ledger.close();
  });
  afterAll(() => cleanup());

  it('issues one file per version, resumes after SIGKILL, and a rerun issues nothing', async () => {
    const store = join(dir, 'files');
    const args = ['--seal', 'district-seal', '--store', store, '--page-size', '10', '-c', config];
    const killed = await signFilesKilled(args, 30);
    expect(killed.signal).toBe('SIGKILL');
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    let recorded: StoredLicenseFile[];
    try {
      recorded = await ledger.licenseFiles.list({});
    } finally {
      await ledger.close();
    }
    expect(recorded.length).toBeGreaterThanOrEqual(30);
    expect(recorded.length).toBeLessThan(N);

    const rest = await licbridge(['sign', 'files', ...args, '--json']);
    expect(rest.status, rest.stderr).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({
      issued: N - recorded.length,
      withoutTemplate: 0,
      stopped: false,
    });

    const again = await licbridge(['sign', 'files', ...args, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ issued: 0 });

    const ledger2 = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    let files: StoredLicenseFile[];
    try {
      files = await ledger2.licenseFiles.list({ pipeline: PIPELINE });
    } finally {
      await ledger2.close();
    }
    // One row per version, one file per row, and the ledger's SM3 and size are the file's.
    expect(files).toHaveLength(N);
    expect(new Set(files.map((f) => f.versionId)).size).toBe(N);
    expect(ofdFiles(store)).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      const bytes = readFileSync(join(store, f.path));
      expect(bytes.length).toBe(f.size);
      expect(createHash('sm3').update(bytes).digest('hex')).toBe(f.sm3);
    }
    // The files are sealed documents that verify.
    for (const f of [files[0], files[N - 1]] as StoredLicenseFile[]) {
      expect(verifyOfd(readFileSync(join(store, f.path)), kit.trust).ok).toBe(true);
    }
  });

  it('refuses a revoked seal before issuing any file, naming it', async () => {
    const revoked = readFileSync(config, 'utf8').replace(
      'signer: district } }',
      'signer: district, status: revoked } }',
    );
    const file = join(dir, 'revoked.yaml');
    writeFileSync(file, revoked);
    const r = await licbridge([
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--store',
      join(dir, 'other-files'),
      '-c',
      file,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('seal district-seal: marked revoked in the config; refusing to sign (art. 18');
    expect(readdirSync(dir)).not.toContain('other-files');
  });
});
