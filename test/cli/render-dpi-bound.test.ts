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
  dir = await mkdtemp(join(tmpdir(), 'licbridge-render-dpi-'));
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
