/**
 * A full check outside the source's `readWindow` reads nothing of the source: the department
 * allows reads only inside it, and a full check reads every key (and the rows of each differing
 * bucket). Refused as preview and discover are, naming the window and the host time, with no
 * report stored — where it scanned the production database at whatever hour `reconcile.schedule`
 * or a person named. A scheduled one is then recorded as a failed check (`status`: check-failed).
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let config: Readonly<Config>;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  config = await loadConfig({ file: ws.configFile, env: {} });
}, 60_000);
afterAll(async () => ws?.cleanup());

/** `HH:MM` on the host's clock, `hours` from now. */
const hostClock = (hours: number): string => {
  const at = new Date(Date.now() + hours * 3_600_000);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
};

it('refuses a full check outside the read window, storing no report', async () => {
  const source = config.pipelines[PIPELINE]?.source as string;
  // A window that opens in two hours: now is outside it.
  const window = `${hostClock(2)}-${hostClock(3)}`;
  const closed = {
    ...config,
    sources: { ...config.sources, [source]: { ...config.sources[source], readWindow: window } },
  } as Config;
  const rt = new Runtime(closed, logger);
  let failure: unknown;
  try {
    failure = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full' }).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    await rt.close();
  }
  expect(failure).toBeInstanceOf(LicbridgeError);
  expect((failure as LicbridgeError).code).toBe(ErrorCodes.USAGE);
  expect((failure as Error).message).toContain(
    `reconcile: source ${source} is read only in its readWindow \`${window}\``,
  );
  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  try {
    expect(db.prepare('SELECT COUNT(*) AS n FROM reconcile_reports').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});
