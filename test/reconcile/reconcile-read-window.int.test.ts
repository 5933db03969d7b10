/**
 * A check outside the source's `readWindow` reads nothing of the source: the department allows
 * reads only inside it, and a check reads every key (a full check the rows of each differing
 * bucket too). Refused as preview and discover are, naming the window and the host time, with no
 * report stored — where it scanned the production database at whatever hour `reconcile.schedule`
 * or a person named, and a run outside the window, which read nothing, read every key for its light
 * check. A scheduled full check is then recorded as failed (`status`: check-failed); a run's light
 * check is not made, and its summary says why.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runExitCode } from '../../cli/commands/run.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { withWindowClosed } from '../support/read-window.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let config: Readonly<Config>;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  config = await loadConfig({ file: ws.configFile, env: {} });
}, 60_000);
afterAll(async () => ws?.cleanup());

/** The demo config with the pipeline's source read only in a window that opens in two hours. */
function windowClosed(): { closed: Config; source: string; window: string } {
  const source = config.pipelines[PIPELINE]?.source as string;
  const { config: closed, window } = withWindowClosed(config, source);
  return { closed, source, window };
}

const reports = (): unknown => {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) AS n FROM reconcile_reports').get();
  } finally {
    db.close();
  }
};

for (const mode of ['full', 'light'] as const) {
  it(`refuses a ${mode} check outside the read window, storing no report`, async () => {
    const { closed, source, window } = windowClosed();
    const rt = new Runtime(closed, logger);
    let failure: unknown;
    try {
      failure = await reconcilePipeline(rt, { pipeline: PIPELINE, mode }).then(
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
    expect(reports()).toEqual({ n: 0 });
  });
}

it('a run outside the read window reads nothing and makes no light check, saying why', async () => {
  const { closed, window } = windowClosed();
  const [summary] = await runPipelines(closed, { pipelines: [PIPELINE], full: false, logger });
  // Not made, as no failure: a run scheduled outside the window on purpose exits 0 (run.ts runExitCode).
  expect(summary?.check).toEqual({ notMade: expect.stringContaining(`readWindow \`${window}\``) });
  expect(runExitCode(summary ? [summary] : [])).toBeUndefined();
  expect(reports()).toEqual({ n: 0 });
}, 60_000);
