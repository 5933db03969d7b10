/**
 * A source's error may quote a value it could not read, a checkpoint key (a holder's ID or mobile
 * number) among them. `status` masks such numbers in the lines it gives of a source, whether its
 * own probe failed or the lag probe of `licbridge serve` did, both with failureMessage
 * (core/errors.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const ID = '11010519491231002X';
const MOBILE = '13800138000';
const WORDS = `invalid input syntax for type integer: "${ID}" (contact ${MOBILE})`;

vi.mock('../../connectors/open-source.js', () => ({
  openSource: async () => ({
    checkConnection: async () => {
      throw new Error(WORDS);
    },
    close: async () => undefined,
  }),
}));

describe('status: a source error quoting a personal number', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it.each([
    ['probed here', { timeoutMs: 1000 }],
    [
      'measured by the lag probe',
      { probeSources: false, knownLagErrors: new Map([['food-business-licenses', WORDS]]) },
    ],
  ])('masks it when %s', async (_how, options) => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    // The lag probe's reading is used with the ledger read: a real one here.
    const ledger = await openLedger(config.ledger.url);
    try {
      const report = await collectStatus(config, ledger, { error: 'down' }, options);
      const out = JSON.stringify(report);
      // The quoted value hidden whole, the number beside it masked (JSON-escaped here).
      expect(out).toContain(JSON.stringify('integer: "***" (contact *******8000)').slice(1, -1));
      expect(out).not.toContain(ID);
      expect(out).not.toContain(MOBILE);
    } finally {
      await ledger.close();
    }
  });
});
