/**
 * An xml-files source is read only inside its `readWindow` and no faster than `maxRowsPerSecond`,
 * as a database source is: a department that sets them on a file share is told the truth.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { sleep } from '../../connectors/sql/gentle.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

// The waits the ceiling asks for, taken without waiting them.
vi.mock('../../connectors/sql/gentle.js', async (original) => ({
  ...(await original<typeof import('../../connectors/sql/gentle.js')>()),
  sleep: vi.fn(async () => {}),
}));

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };
const at = (hhmm: string): Date => new Date(`2026-11-05T${hhmm}:00`);

/** A folder of two exports, three records each. */
async function exportsFolder(): Promise<string> {
  const dir = tempFolder();
  folders.push(dir);
  const records = (from: number) => [0, 1, 2].map((i) => ({ ID: String(from + i), MC: `name ${from + i}` }));
  await writeExport(dir, 'E001.xml', records(1));
  await writeExport(dir, 'E002.xml', records(4));
  return dir;
}

/** The keys of each page read, and the checkpoint of the last one. */
async function readPages(
  dir: string,
  overrides: Partial<SourceConfig>,
  clock: () => Date,
  after: string | null = null,
): Promise<{ pages: string[][]; last: string | null }> {
  const source = openXmlFilesSource('food', xmlConfig(dir, overrides), { clock });
  const pages: string[][] = [];
  let last = after;
  try {
    for await (const page of source.read({ stream, after, pageSize: 2 })) {
      pages.push(page.rows.map((r) => r.key));
      last = page.checkpoint;
    }
  } finally {
    await source.close();
  }
  return { pages, last };
}

describe('xml-files: readWindow', () => {
  it('outside the window a run reads nothing', async () => {
    const dir = await exportsFolder();
    const { pages } = await readPages(dir, { readWindow: '20:00-06:00' }, () => at('12:00'));
    expect(pages).toEqual([]);
  });

  it('inside the window (spanning midnight) a run reads every record', async () => {
    const dir = await exportsFolder();
    const { pages } = await readPages(dir, { readWindow: '20:00-06:00' }, () => at('23:30'));
    expect(pages.flat()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('a window closing during the read stops it at the next page; the next run resumes there', async () => {
    const dir = await exportsFolder();
    // The clock reads 05:59 for the start and the first two pages, then 06:00.
    const times = ['05:59', '05:59', '05:59'];
    const first = await readPages(dir, { readWindow: '20:00-06:00' }, () => at(times.shift() ?? '06:00'));
    expect(first.pages).toEqual([['1', '2'], ['3']]);
    const next = await readPages(dir, { readWindow: '20:00-06:00' }, () => at('21:00'), first.last);
    expect(next.pages.flat()).toEqual(['4', '5', '6']);
  });
});

describe('xml-files: maxRowsPerSecond', () => {
  it('six records at 20 rows a second: after each page it waits until the rows read would not exceed the rate', async () => {
    const dir = await exportsFolder();
    const now = () => at('12:00');
    // The host's clock stands still: each wait is the whole time its rows take at 20 a second.
    vi.spyOn(Date, 'now').mockReturnValue(at('12:00').getTime());
    vi.mocked(sleep).mockClear();
    try {
      const { pages } = await readPages(dir, { maxRowsPerSecond: 20 }, now);
      expect(pages).toEqual([['1', '2'], ['3'], ['4', '5'], ['6']]);
      // 2, 3, 5, then 6 rows read: 0.1, 0.15, 0.25, 0.3 s from the start.
      expect(vi.mocked(sleep).mock.calls.map(([ms]) => ms)).toEqual([100, 150, 250, 300]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
