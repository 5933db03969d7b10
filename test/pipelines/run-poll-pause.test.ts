/**
 * runPipelines' `pollPauseMaxMs` caps the pause between two polls of the runs. A cap of zero,
 * below it or not a number would poll the ledger over and over without a pause: it is refused,
 * naming the option and the value, before anything is opened.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';

describe('runPipelines pollPauseMaxMs', () => {
  it.each([0, -500, Number.NaN])('refuses %s before it opens anything', async (pollPauseMaxMs) => {
    // No config: anything opened first would fail on it instead.
    const run = runPipelines({} as Config, {
      pipelines: [],
      full: false,
      logger: createLogger({ level: 'silent' }),
      pollPauseMaxMs,
    });
    await expect(run).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: `run: Expected \`pollPauseMaxMs\` above 0 ms, got \`${pollPauseMaxMs}\` (number)`,
    });
  });
});
