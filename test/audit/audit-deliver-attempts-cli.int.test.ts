/**
 * `audit show` says of a `deliver-attempt` entry what failed, the attempt and its reason code, and
 * never the error text (ledger/audit-attempts.ts); `audit verify` without `--against` says what it
 * found recorded on its own (the newest acts, every delivery's state) rather than that delivery
 * cuts are found only with exports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';
import { candidates, commitOnePage } from '../ledger/fixtures.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const ERROR = 'target province: batch upload to https://province.invalid:8443 failed: HTTP 503 (BUSY)';

describe('audit show and verify of failed delivery attempts', () => {
  let ws: DemoWorkspace;
  let licenseId: string;

  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1, seed: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const ledger: Ledger = await openLedger(config.ledger.url, { logger: quietLogger });
    try {
      const page = await commitOnePage(ledger, 'attempts-cli', 'run-1', candidates(1, 1));
      const [created] = page.created;
      licenseId = created?.licenseId as string;
      const [row] = await ledger.ensureDeliveries([created?.versionId as number], 'province');
      await ledger.recordDeliveryAttempt([row?.key as string], { error: ERROR, reason: 'http-503' });
      await ledger.recordDeliveryAttempt([row?.key as string], { error: ERROR, reason: 'http-503' });
    } finally {
      await ledger.close();
    }
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('shows each attempt with its reason code, not the error text', async () => {
    const r = await cli(['audit', 'show', '--license', licenseId]);
    expect(r.status, r.stderr).toBe(0);
    const attempts = r.stdout.split('\n').filter((l) => l.includes('deliver-attempt'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toContain('target:province version 1  (send failed, attempt 1: http-503)');
    expect(attempts[1]).toContain('(send failed, attempt 2: http-503)');
    expect(r.stdout).not.toContain('province.invalid');
    expect(r.stdout).not.toContain('BUSY');
  });

  it('verify passes and says what it checked without an export', async () => {
    const r = await cli(['audit', 'verify']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('checked against no export:');
    expect(r.stdout).toContain('every delivery accepted, submitted or dead in its state');
    expect(r.stdout).not.toContain('entries cut off after it (signatures, deliveries)');
  });
});
