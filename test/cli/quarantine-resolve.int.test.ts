/**
 * `licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT` closes a key's
 * records at version 999 once a person has done what the reason asks, which no run's read does;
 * `--reason LB_SOURCE_KEY_MISSING` a row's stand-in key once its key is filled in. Every other code
 * is refused (its entry leaves the list when its fault is fixed), and so is a key with no such
 * record open, naming `quarantine show`, or the reason it is open for.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-resolve', 'licbridge-quarantine-resolve-');
const KEY = 'row-at-999';
const STAND_IN = 'XKZBH:missing#9954e318eb3d46cf';
/** A keyless row whose value was also over `maxValueBytes`: one record, two reasons. */
const STAND_IN_TOO_LARGE = 'XKZBH:missing#e3a041d81380705e';
/** An export record without a key: its file's name and the record's index. */
const FILE_STAND_IN = 'E001.xml#2';

beforeAll(async () => {
  const ledger = await openSqliteLedger(join(made.dir, 'ledger.db'), {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    for (const n of [1, 2]) {
      const runId = `run-${n}`;
      await ledger.startRun({ runId, pipeline: 'food', mode: 'incremental' });
      await ledger.commitPage({
        pipeline: 'food',
        runId,
        checkpoint: encodeKeyPosition({ cursor: `c${n}`, key: 'k' }),
        rowsRead: 1,
        candidates: [],
        quarantined: [
          {
            sourceKey: KEY,
            reasons: [{ code: 'LB_VERSION_LIMIT', message: 'ledger: license L holds version 999' }],
          },
          {
            sourceKey: STAND_IN,
            reasons: [{ code: 'LB_SOURCE_KEY_MISSING', message: 'source: key XKZBH empty' }],
          },
          ...(n === 1
            ? [
                {
                  sourceKey: STAND_IN_TOO_LARGE,
                  reasons: [
                    { code: 'LB_SOURCE_TOO_LARGE', message: 'source: column JYZMC over maxValueBytes' },
                    { code: 'LB_SOURCE_KEY_MISSING', message: 'source: key XKZBH empty' },
                  ],
                },
                {
                  sourceKey: FILE_STAND_IN,
                  reasons: [{ code: 'LB_SOURCE_KEY_MISSING', message: 'source: key XKZBH empty' }],
                },
              ]
            : []),
        ],
      });
    }
  } finally {
    await ledger.close();
  }
});

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });

describe('quarantine resolve', () => {
  it('refuses a reason that leaves the list by itself', async () => {
    const r = await run(['resolve', KEY, '--pipeline', 'food', '--reason', 'LB_MAP_DATE']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'expected `--reason` to be LB_VERSION_LIMIT or LB_SOURCE_KEY_MISSING, got `LB_MAP_DATE`',
    );
  });

  it('closes both runs’ records of the key, and says there is nothing left the second time', async () => {
    const r = await run(['resolve', KEY, '--pipeline', 'food', '--reason', 'LB_VERSION_LIMIT']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 LB_VERSION_LIMIT record(s) of pipeline food closed');
    // The tick does not write it again (test/ledger/tick-version-limit-resolved.int.test.ts).
    expect(r.stdout).toContain('the lifecycle tick leaves it closed');

    const list = await run(['list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ count: 3 });

    const again = await run(['resolve', KEY, '--pipeline', 'food', '--reason', 'lb_version_limit']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('no open LB_VERSION_LIMIT record of this source key in pipeline food');
  });

  it('closes a stand-in key’s records by its own code only, a person having seen the key filled in', async () => {
    const wrong = await run(['resolve', STAND_IN, '--pipeline', 'food', '--reason', 'LB_VERSION_LIMIT']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(
      'it is open for LB_SOURCE_KEY_MISSING: `--reason LB_SOURCE_KEY_MISSING` closes that one',
    );

    const r = await run(['resolve', STAND_IN, '--pipeline', 'food', '--reason', 'LB_SOURCE_KEY_MISSING']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 LB_SOURCE_KEY_MISSING record(s) of pipeline food closed');
    expect(r.stdout).toContain('A run reading the row still without a key quarantines it anew');
    // A SQL stand-in has no export file: nothing on one.
    expect(r.stdout).not.toContain('export record');
    expect(r.stdout).not.toMatch(/archive/i);
    const list = await run(['list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ count: 2 });
  });

  it('closes a stand-in’s record whole, its other reasons with it, and says so', async () => {
    const r = await run([
      'resolve',
      STAND_IN_TOO_LARGE,
      '--pipeline',
      'food',
      '--reason',
      'LB_SOURCE_KEY_MISSING',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '1 LB_SOURCE_KEY_MISSING record(s) of pipeline food closed, whole, with their other reasons: LB_SOURCE_TOO_LARGE (1).',
    );
    expect(r.stdout).not.toContain('stay open');
    const list = await run(['list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ count: 1 });
  });

  it('tells, for an export record, to keep its old file in the folder: moving it takes its other records out of the source', async () => {
    const r = await run([
      'resolve',
      FILE_STAND_IN,
      '--pipeline',
      'food',
      '--reason',
      'LB_SOURCE_KEY_MISSING',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 LB_SOURCE_KEY_MISSING record(s) of pipeline food closed');
    expect(r.stdout).not.toMatch(/archive/i);
    expect(r.stdout).toContain('Do not move the old file out for it');
    expect(r.stdout).toContain('Leave such an entry open until that full export is in, then close it');
    expect(r.stdout).toContain('Old exports stay in the folder');
    const list = await run(['list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ count: 0 });
  });
});
