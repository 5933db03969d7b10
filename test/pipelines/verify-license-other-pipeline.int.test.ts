/**
 * `verify --license X --pipeline P` with X in another pipeline Q: the ledger holds X, so "no such
 * license in the ledger" sent the auditor looking for a license that is there. The result names
 * the pipeline it is in, and still fails (what was asked was not verified).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { verifySignatures } from '../../pipelines/verify/signatures.js';
import { createSignWorkspace, PIPELINE, type SignWorkspace, seedVersions } from '../cli/sign-workspace.js';
import { quietLogger } from '../ledger/backends.js';

describe('verify --license in another pipeline than --pipeline', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let known: string;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, 2);
    const loaded = await loadConfig({ file: ws.configFile });
    const own = loaded.pipelines[PIPELINE] as Config['pipelines'][string];
    // A second pipeline of the same department, holding none of the seeded licenses.
    config = { ...loaded, pipelines: { ...loaded.pipelines, 'food-permits-b': own } };
    ledger = await openLedger(`sqlite://${ws.ledgerFile}`, { logger: quietLogger });
    const [first] = await ledger.versionPage({ afterVersionId: 0, limit: 1 });
    known = first?.licenseId as string;
  });
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('names the pipeline the license is in, and fails', async () => {
    const summary = await verifySignatures(
      config,
      ledger,
      { licenseIds: [known, 'NO-SUCH'], pipeline: 'food-permits-b' },
      quietLogger,
    );
    expect(summary.ok).toBe(false);
    expect(summary.results.map((r) => [r.licenseId, r.ok, r.reasons])).toEqual([
      [
        known,
        false,
        [
          `not in pipeline food-permits-b: the license is in pipeline ${PIPELINE}; verify it with --pipeline ${PIPELINE}, or without --pipeline`,
        ],
      ],
      ['NO-SUCH', false, ['no such license in the ledger']],
    ]);
  });

  it('verifies it under its own pipeline', async () => {
    const summary = await verifySignatures(
      config,
      ledger,
      { licenseIds: [known], pipeline: PIPELINE },
      quietLogger,
    );
    expect(summary.results.map((r) => r.reasons)).toEqual([['unsigned: no signature recorded']]);
  });
});
