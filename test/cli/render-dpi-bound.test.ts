/**
 * `render --dpi` sets the picture's resolution, and a face is drawn as one bitmap of that many
 * pixels: `--dpi 9999` (the most the option took) asked for a 38 GB bitmap and the process was
 * aborted (`memory allocation of 38661645892 bytes failed`, exit 134), no message of licbridge's.
 * A resolution past print quality (600 dpi) is refused as a usage error naming the option, the
 * value and the most it takes, before the config is read or anything drawn.
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
  ({ dir, config } = await makeRenderSampleFixture('licbridge-render-dpi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const render = (png: string, dpi: string) =>
  licbridge(['render', '--sample', FOOD, '--png', png, '--dpi', dpi, '-c', config], { cwd: dir });

describe('render --dpi', () => {
  it.each(['601', '0', '1e2'])(
    'refuses `%s`, naming the option, the value and the most, and draws nothing',
    async (dpi) => {
      const png = join(dir, `refused-${dpi}.png`);
      const r = await render(png, dpi);
      expect(r.stderr).toContain('--dpi');
      expect(r.stderr).toContain(`\`${dpi}\``);
      expect(r.stderr).toContain('600');
      expect(r.stderr).toContain('[LB_USAGE]');
      expect(r.status).toBe(2);
      expect(existsSync(png)).toBe(false);
    },
  );

  it('draws at a resolution within it', async () => {
    const png = join(dir, 'drawn.png');
    const r = await render(png, '72');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('842 × 595 px');
  });
});
