/**
 * `render --sample --today` names the sample's issue date, and a day the calendar does not have
 * is refused as every other command's `--today` is (core/local-date.ts parseIsoDate). It was
 * checked with Date.parse, which takes any day up to 31 in any month — 2029-02-29 and 2029-02-30
 * among them — and the sample was drawn issued on a day that never is.
 *
 * The face holds one line: a full face costs 1-1.5 s of CPU to draw.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge, ROOT } from '../support/cli.js';

const FOOD = '11370200MB12345674001';
const TITLE = '{ text: 食品经营许可证, x: 0, y: 22, width: 297, size: 11, font: 黑体, align: center }';
let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-render-day-'));
  await cp(join(ROOT, 'examples', 'west-coast', 'catalog'), join(dir, 'catalog'), { recursive: true });
  const full = await readFile(join(dir, 'catalog', 'food-business-license.yaml'), 'utf8');
  const entry = full.replace(/\n {2}texts:\n[\s\S]*?\n {2}seal:/, `\n  texts:\n    - ${TITLE}\n  seal:`);
  expect(entry).not.toBe(full);
  await writeFile(join(dir, 'catalog', 'food-business-license.yaml'), entry);
  config = join(dir, 'licbridge.yaml');
  await writeFile(
    config,
    'ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\nsources: {}\npipelines: {}\nsigners: {}\ntargets: {}\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const render = (png: string, today: string) =>
  licbridge(['render', '--sample', FOOD, '--png', png, '--today', today, '-c', config], {
    cwd: dir,
    env: { LICBRIDGE_TODAY: '' },
  });

describe('render --sample --today', () => {
  it.each(['2029-02-29', '2029-02-30', '2026-04-31', '2026-13-01'])(
    'refuses `%s`, a day the calendar does not have, and draws nothing',
    async (today) => {
      const png = join(dir, `refused-${today}.png`);
      const r = await render(png, today);
      expect(r.stderr).toContain('--today');
      expect(r.stderr).toContain(`\`${today}\``);
      expect(r.stderr).toContain('[LB_USAGE]');
      expect(r.status).toBe(2);
      expect(existsSync(png)).toBe(false);
    },
  );

  it('draws a sample issued on 29 February of a leap year', async () => {
    const png = join(dir, 'leap.png');
    const r = await render(png, '2028-02-29');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);
  });
});
