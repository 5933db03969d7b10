import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../support/cli.js';

export const FOOD = '11370200MB12345674001';
/** The face's one line: the template's title. A full face costs 1-1.5 s of CPU to draw. */
const TITLE = '{ text: 食品经营许可证, x: 0, y: 22, width: 297, size: 11, font: 黑体, align: center }';

export interface RenderSampleFixture {
  dir: string;
  config: string;
  /** The food license's catalog entry as written, its face cut to one line. */
  entry: string;
}

/** A scratch directory holding the example catalog, its food license's face cut to one line, and a config. */
export async function makeRenderSampleFixture(prefix: string): Promise<RenderSampleFixture> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(join(ROOT, 'examples', 'west-coast', 'catalog'), join(dir, 'catalog'), { recursive: true });
  const full = await readFile(join(dir, 'catalog', 'food-business-license.yaml'), 'utf8');
  const entry = full.replace(/\n {2}texts:\n[\s\S]*?\n {2}seal:/, `\n  texts:\n    - ${TITLE}\n  seal:`);
  expect(entry).not.toBe(full);
  await writeFile(join(dir, 'catalog', 'food-business-license.yaml'), entry);
  const config = join(dir, 'licbridge.yaml');
  await writeFile(
    config,
    'ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\nsources: {}\npipelines: {}\nsigners: {}\ntargets: {}\n',
  );
  return { dir, config, entry };
}
