/**
 * `sign resign --from-seal S --seal S`: re-signing under a seal the versions that seal signed. A
 * version is re-signed only when the seal signing has not signed it yet, so this selects nothing
 * whatever the ledger holds: it said "signed 0" and exited 0, as if every version were done, when
 * the seal being replaced was meant. Refused as a mistake (exit 2), naming both options, before
 * the ledger is opened — the seal given by its signer's name or by its seal id alike.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { resignRequest } from '../../pipelines/batch-sign/resign.js';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

const OLD_SEAL = '3702110000001';
const NEW_SEAL = '3702110000002';

describe('sign resign from a seal to the same seal', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, 3);
    // Signed by the pipeline's seal, the one a seal change replaces.
    expect((await runCli(['sign', 'backfill', '--config', ws.configFile])).status).toBe(0);
  });
  afterAll(() => ws.cleanup());

  const signaturesBy = (sealId: string): number => {
    const db = new Database(ws.ledgerFile, { readonly: true });
    try {
      return (
        db.prepare('select count(*) as n from signatures where seal_id = ?').get(sealId) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  const resign = (...args: string[]) => runCli(['sign', 'resign', ...args, '--config', ws.configFile]);

  it('is refused naming --from-seal and --seal, the seal given by its signer name', async () => {
    const before = signaturesBy(OLD_SEAL);
    expect(before).toBe(3);
    const r = await resign('--seal', 'district-seal', '--from-seal', OLD_SEAL, '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stderr).toContain('sign resign: `--from-seal`');
    expect(r.stderr).toContain('is the seal of `--seal district-seal`');
    expect(r.stdout).toBe('');
    expect(signaturesBy(OLD_SEAL)).toBe(before);
  });

  it('is refused the same way when --seal gives the seal id', async () => {
    const r = await resign('--seal', OLD_SEAL, '--from-seal', OLD_SEAL);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(signaturesBy(NEW_SEAL)).toBe(0);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    expect(() => resignRequest(config, { seal: OLD_SEAL, fromSealId: OLD_SEAL })).toThrow(
      `sign resign: \`--from-seal\` ${OLD_SEAL} is the seal of \`--seal ${OLD_SEAL}\``,
    );
  });

  it('still re-signs from one seal to another', async () => {
    const r = await resign('--seal', 'new-seal', '--from-seal', OLD_SEAL, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ signed: 3, remaining: 0 });
    expect(signaturesBy(NEW_SEAL)).toBe(3);
  });

  it('names sign resign, not sign backfill, when its --progress-interval is not a number', async () => {
    const r = await resign('--seal', 'district-seal', '--progress-interval', 'soon');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sign resign: expected `--progress-interval`');
  });
});
