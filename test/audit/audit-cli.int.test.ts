import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2Sign } from '../../adapters/signers/local-sm2/sm2.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { versionIdsOf } from '../../ledger/audit-batch.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opensslVerify } from './export-openssl.js';

const logger = createLogger({ level: 'silent' });

function cli(
  ws: DemoWorkspace,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return licbridge([...args, '--config', ws.configFile], {
    cwd: ws.dir,
    env: { LICBRIDGE_LOG_LEVEL: 'silent' },
  });
}

describe('licbridge audit and reconcile on the command line', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 3 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('audit verify passes on the demo', async () => {
    const r = await cli(ws, ['audit', 'verify', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it('audit export writes entries with an SM2 signature OpenSSL accepts', async () => {
    const out = join(ws.dir, 'export.jsonl');
    const r = await cli(ws, ['audit', 'export', '--from', '1', '--to', '3', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    // Where it ended, so the next export of a regular rhythm starts after it.
    expect(r.stdout).toContain('exported 3 entries (seq 1 to 3; the next export: --from 4) to');
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ seq: 1 });
    const verify = (file: string) =>
      opensslVerify(ws.dir, file, { sig: `${out}.sig`, pub: `${out}.pub.pem` });
    expect(verify(out).status).toBe(0);
    // A changed byte fails.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(ws.dir, 'changed.jsonl'),
      (await readFile(out, 'utf8')).replace('"seq":1', '"seq":9'),
    );
    expect(verify(join(ws.dir, 'changed.jsonl')).status).not.toBe(0);
  });

  it('audit verify --against checks the chain against a signed export, and refuses a changed one', async () => {
    const out = join(ws.dir, 'whole.jsonl');
    expect((await cli(ws, ['audit', 'export', '--out', out])).status).toBe(0);
    const r = await cli(ws, ['audit', 'verify', '--against', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('it holds every entry of 1 signed export(s) as exported');
    const { copyFile, writeFile } = await import('node:fs/promises');
    const changed = join(ws.dir, 'whole-changed.jsonl');
    await writeFile(changed, (await readFile(out, 'utf8')).split('\n').slice(1).join('\n'));
    await copyFile(`${out}.sig`, `${changed}.sig`);
    await copyFile(`${out}.pub.pem`, `${changed}.pub.pem`);
    const refused = await cli(ws, ['audit', 'verify', '--against', changed]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`export ${changed}: its signature does not verify`);
  });

  it('audit verify --against refuses an export signed by a key the config does not hold, takes --key, and says an empty one pins nothing', async () => {
    const { copyFile, writeFile } = await import('node:fs/promises');
    const out = join(ws.dir, 'keyed.jsonl');
    expect((await cli(ws, ['audit', 'export', '--out', out])).status).toBe(0);
    // The same entries signed again by someone else's key, put beside them.
    const forger = generateSm2KeyPair();
    const forged = join(ws.dir, 'forged.jsonl');
    await copyFile(out, forged);
    const bytes = await readFile(forged);
    await writeFile(
      `${forged}.sig`,
      sm2Sign(loadSm2PrivateKey('forger', forger.privateKeyPem).privateKey, bytes),
    );
    await writeFile(`${forged}.pub.pem`, forger.publicKeyPem);
    const refused = await cli(ws, ['audit', 'verify', '--against', forged]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`export ${forged}: it is signed with key`);
    expect(refused.stderr).toContain('which is not one of the configured ones');
    // The operator names the key to take: that one, and only that one.
    const given = join(ws.dir, 'forger.pem');
    await writeFile(given, forger.publicKeyPem);
    expect((await cli(ws, ['audit', 'verify', '--against', forged, '--key', given])).status).toBe(0);
    expect((await cli(ws, ['audit', 'verify', '--against', out, '--key', given])).status).toBe(2);
    const keyAlone = await cli(ws, ['audit', 'verify', '--key', given]);
    expect(keyAlone.status).toBe(2);
    expect(keyAlone.stderr).toContain('give the exports with --against');

    const empty = join(ws.dir, 'empty.jsonl');
    expect(
      (await cli(ws, ['audit', 'export', '--from', '99999', '--to', '99999', '--out', empty])).status,
    ).toBe(0);
    const alone = await cli(ws, ['audit', 'verify', '--against', empty]);
    expect(alone.status, alone.stderr).toBe(3);
    expect(alone.stdout).toContain(
      `every entry of 0 signed export(s) as exported; 1 export(s) hold no entry and pin nothing: ${empty}`,
    );
    const beside = await cli(ws, ['audit', 'verify', '--against', out, empty]);
    expect(beside.status, beside.stderr).toBe(0);
    expect(beside.stdout).toContain(
      `every entry of 1 signed export(s) as exported; 1 export(s) hold no entry and pin nothing: ${empty}`,
    );
  });

  it('audit show lists every entry about one license, its acts in batch entries included', async () => {
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger });
    let licenseId: string;
    let versionId: number;
    try {
      const [v] = await ledger.versionPage({
        pipeline: 'food-business-licenses',
        afterVersionId: 0,
        limit: 1,
      });
      licenseId = v?.licenseId as string;
      versionId = v?.versionId as number;
    } finally {
      await ledger.close();
    }
    const r = await cli(ws, ['audit', 'show', '--license', licenseId, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const entries = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; versions: number[]; acts: number; detail: string });
    // Issued, signed and delivered: each act in a batch entry that names its version id.
    expect(entries.map((e) => e.action)).toEqual(['issue', 'sign', 'deliver']);
    for (const e of entries) {
      expect(e.versions).toEqual([1]);
      expect(e.acts).toBeGreaterThan(1);
      expect(versionIdsOf(e)).toContain(versionId);
    }
    const text = await cli(ws, ['audit', 'show', '--license', licenseId]);
    expect(text.stdout).toMatch(
      /issue {2}pipeline:food-business-licenses version 1 \(one entry for \d+ acts\)/,
    );
    expect(text.stdout).toContain(`audit: 3 entries about ${licenseId}`);

    const unknown = await cli(ws, ['audit', 'show', '--license', 'no-such-license']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no license `no-such-license`');
  });

  it('reconcile prints a clean JSON report and writes an HTML one', async () => {
    const html = join(ws.dir, 'report.html');
    const r = await cli(ws, [
      'reconcile',
      'food-business-licenses',
      '--json',
      '--lang',
      'en',
      '--html',
      html,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      report: { differences: number; counts: { ledger: { total: number } } };
    };
    expect(doc.report.differences).toBe(0);
    expect(doc.report.counts.ledger.total).toBeGreaterThan(20);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('Source, ledger and platforms agree.');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
