/**
 * `render --sample` dates its sample today as the department's calendar has it: the day in
 * `lifecycle.timeZone` (Asia/Shanghai unless configured), as lifecycle and derived expiry count
 * it. It took the UTC date, so from 16:00 to 24:00 UTC (00:00-08:00 in Beijing) the sample showed
 * yesterday. The clock is pinned; the face drawn is compared with the same face drawn with
 * `--today` given, so the test reads the date from the picture, not from the code.
 *
 * The face holds the issue date alone, drawn at 40 dpi: a full face costs 1-1.5 s of CPU to draw,
 * and each draw is a whole command (its fonts loaded, as in a new process). The faces of 1 and 2
 * March given with `--today` are drawn once, with the default zone, and both cases compare with
 * them: `--today` names the day whatever the zone.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { licbridge, ROOT } from '../support/cli.js';

const FOOD = '11370200MB12345674001';
const DATE_ONLY = '{ field: issueDate, prefix: 签发日期：, format: date, x: 0, y: 22, width: 297, size: 11 }';
let dir: string;
/** The sample given `--today` 2026-03-01 and 2026-03-02. */
let march1: Buffer;
let march2: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-render-today-'));
  await cp(join(ROOT, 'examples', 'west-coast', 'catalog'), join(dir, 'catalog'), { recursive: true });
  const full = await readFile(join(dir, 'catalog', 'food-business-license.yaml'), 'utf8');
  const entry = full.replace(/\n {2}texts:\n[\s\S]*?\n {2}seal:/, `\n  texts:\n    - ${DATE_ONLY}\n  seal:`);
  expect(entry).not.toBe(full);
  await writeFile(join(dir, 'catalog', 'food-business-license.yaml'), entry);
  const config = await configWith('given-day', '');
  march1 = await draw(config, 'given-0301', '--today', '2026-03-01');
  march2 = await draw(config, 'given-0302', '--today', '2026-03-02');
  // The picture shows the day: those of the two days differ.
  expect(march2.equals(march1)).toBe(false);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

async function configWith(name: string, section: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\nsources: {}\npipelines: {}\nsigners: {}\ntargets: {}\n${section}`,
  );
  return file;
}

async function draw(config: string, name: string, ...extra: string[]): Promise<Buffer> {
  const png = join(dir, `${name}.png`);
  const r = await licbridge(
    ['render', '--sample', FOOD, '--png', png, '--dpi', '40', ...extra, '-c', config],
    {
      cwd: dir,
      env: { LICBRIDGE_TODAY: '' },
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return readFile(png);
}

/** The sample drawn with the wall clock at `at`; the clock moves on from there as it does. */
async function drawAt(at: string, config: string, name: string): Promise<Buffer> {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: new Date(at) });
  try {
    return await draw(config, name);
  } finally {
    vi.useRealTimers();
  }
}

describe('render --sample without --today', () => {
  it("dates the sample today in Beijing (the default zone) at 17:00 UTC, when UTC's date is yesterday", async () => {
    const config = await configWith('default-zone', '');
    const drawn = await drawAt('2026-03-01T17:00:00Z', config, 'default-now');
    expect(drawn.equals(march1)).toBe(false);
    expect(drawn.equals(march2)).toBe(true);
  });

  it('dates it in the configured lifecycle.timeZone, behind UTC as well as ahead', async () => {
    const config = await configWith('new-york', 'lifecycle: { timeZone: America/New_York }\n');
    // 22:00 of 1 March in New York.
    const drawn = await drawAt('2026-03-02T03:00:00Z', config, 'ny-now');
    expect(drawn.equals(march2)).toBe(false);
    expect(drawn.equals(march1)).toBe(true);
  });
});
