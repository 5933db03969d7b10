/**
 * `render --sample --today` names the sample's issue date, and a day the calendar does not have
 * is refused as every other command's `--today` is (core/local-date.ts parseIsoDate). It was
 * checked with Date.parse, which takes any day up to 31 in any month — 2029-02-29 and 2029-02-30
 * among them — and the sample was drawn issued on a day that never is.
 *
 * The face holds one line: a full face costs 1-1.5 s of CPU to draw.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { FOOD, makeRenderSampleFixture } from './render-sample-fixture.js';

let dir: string;
let config: string;

beforeAll(async () => {
  ({ dir, config } = await makeRenderSampleFixture('licbridge-render-day-'));
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
