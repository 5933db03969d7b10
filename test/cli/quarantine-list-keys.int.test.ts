/**
 * `licbridge quarantine list` prints what goes to terminals, pasted tickets and CI logs. A legacy
 * table keyed by the holder's resident ID number (or mobile or passport number) made every record
 * key personal data, and the list printed each whole, in text, JSON and CSV alike. It now masks a
 * key as the reconcile reports and the worklist page do (maskNumberShapes: `1101**********1234`),
 * any other key whole; `quarantine export` to a CSV or JSON file (owner-only) keeps every key whole
 * for the department to find its rows, and `quarantine show` takes the whole key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { writeQuarantined } from '../support/quarantined-rows.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-quarantine-list-keys', 'licbridge-quarantine-list-keys-');

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
// A resident ID number's shape: area, a birth date in the 1980s, sequence and check.
const ID_KEY = `1${digits(5)}198${1 + Math.floor(Math.random() * 9)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}${digits(4)}`;
const MOBILE_KEY = `13${digits(9)}`;
const PASSPORT_KEY = `E${digits(8)}`;
const PLAIN_KEY = `SPXK-${digits(6)}`;
const KEYS = [ID_KEY, MOBILE_KEY, PASSPORT_KEY, PLAIN_KEY];
const PERSONAL = [ID_KEY, MOBILE_KEY, PASSPORT_KEY];

beforeAll(() =>
  writeQuarantined(
    made.dir,
    'food',
    KEYS.map((sourceKey) => ({
      sourceKey,
      reasons: [{ code: 'LB_MAP_REQUIRED', message: 'required', path: 'number', column: 'XKZBH' }],
    })),
    { runId: 'r1', cursor: 'c' },
  ),
);

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });

function expectMaskedKeys(out: string): void {
  for (const key of PERSONAL) expect(out).not.toContain(key);
  expect(out).toContain(`${ID_KEY.slice(0, 4)}**********${ID_KEY.slice(-4)}`);
  expect(out).toContain(`*******${MOBILE_KEY.slice(-4)}`);
  expect(out).toContain(`E*******${PASSPORT_KEY.slice(-1)}`);
  expect(out).toContain(PLAIN_KEY);
}

describe('quarantine list: record keys that are personal numbers', () => {
  it.each([[[]], [['--json']], [['--csv']], [['--html']], [['--lang', 'en']]])(
    'list %j masks them and shows other keys whole',
    async (args) => {
      const r = await run(['list', ...args]);
      expect(r.status, r.stderr).toBe(0);
      expectMaskedKeys(r.stdout);
      expect(r.stderr).not.toContain(ID_KEY);
    },
  );

  it('list --json still lists every entry, one per key', async () => {
    const r = await run(['list', '--json']);
    const list = JSON.parse(r.stdout) as { count: number; entries: { sourceKey: string }[] };
    expect(list.count).toBe(KEYS.length);
    expect(new Set(list.entries.map((e) => e.sourceKey)).size).toBe(KEYS.length);
  });

  it.each([['worklist.csv'], ['worklist.json']])(
    'export %s keeps every key whole, to find the row by',
    async (file) => {
      const r = await run(['export', file]);
      expect(r.status, r.stderr).toBe(0);
      const body = await readFile(join(made.dir, file), 'utf8');
      for (const key of KEYS) expect(body).toContain(key);
      expect(r.stdout).not.toContain(ID_KEY);
    },
  );

  it('export as HTML masks them, as before', async () => {
    const r = await run(['export', 'worklist.html']);
    expect(r.status, r.stderr).toBe(0);
    expectMaskedKeys(await readFile(join(made.dir, 'worklist.html'), 'utf8'));
  });

  it('show takes the whole key', async () => {
    const r = await run(['show', ID_KEY]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('LB_MAP_REQUIRED');
  });
});
