/**
 * `licbridge quarantine resolve` with nothing to close said only "no open LB_VERSION_LIMIT record
 * of this source key in pipeline P", whatever the cause: a pipeline name typed wrong (`fod` for
 * `food`) read as though the key had been looked for there, and a key never quarantined, or open
 * for another reason only, read the same. It now names the pipeline and the key (masked by shape),
 * refuses a pipeline that is not in the config and holds no such record with the config's names,
 * and says when the key is open for other reasons, which leave the list by themselves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { writeQuarantined } from '../support/quarantined-rows.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-resolve-unknown', 'licbridge-quarantine-resolve-unknown-');
const AT_LIMIT = 'row-at-999';
const OTHER = 'row-bad-date';
// Synthetic: area 110105, born 1949-12-31.
const ID_KEY = 'SFZ110105194912310021';

beforeAll(() =>
  writeQuarantined(made.dir, 'food', [
    { sourceKey: AT_LIMIT, reasons: [{ code: 'LB_VERSION_LIMIT', message: 'ledger: at 999' }] },
    { sourceKey: OTHER, reasons: [{ code: 'LB_MAP_DATE', message: 'mapping: date not valid' }] },
    { sourceKey: ID_KEY, reasons: [{ code: 'LB_MAP_DATE', message: 'mapping: date not valid' }] },
  ]),
);

const resolve = (key: string, pipeline: string) =>
  licbridge(
    [
      'quarantine',
      'resolve',
      key,
      '--pipeline',
      pipeline,
      '--reason',
      'LB_VERSION_LIMIT',
      '--config',
      made.file,
    ],
    { cwd: made.dir, timeoutMs: 30_000 },
  );

describe('quarantine resolve with nothing to close', () => {
  it('refuses a pipeline not in the config, naming the configured ones, and closes nothing', async () => {
    const r = await resolve(AT_LIMIT, 'fod');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('unknown `--pipeline` `fod`');
    expect(r.stderr).toContain('did you mean `food`?');
    const still = await resolve(AT_LIMIT, 'food');
    expect(still.status, still.stderr).toBe(0);
  });

  it('names the key and the pipeline when the key was never quarantined there', async () => {
    const r = await resolve('row-never-seen', 'food');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('no quarantine record of source key `row-never-seen` in pipeline food');
  });

  it('says a key open for another reason leaves the list by itself', async () => {
    const r = await resolve(OTHER, 'food');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'no open LB_VERSION_LIMIT record of source key `row-bad-date` in pipeline food; it is open for LB_MAP_DATE, which leaves the worklist by itself',
    );
  });

  it('masks a key holding an ID number', async () => {
    const r = await resolve(ID_KEY, 'food');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('source key `SFZ1101**********0021`');
    expect(r.stderr).not.toContain('19491231');
  });
});
