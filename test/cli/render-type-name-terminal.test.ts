/**
 * `render` printed the license type's name as the catalog gives it, while `catalog check` shows the
 * same name through terminalLine: a catalog is text from outside (`catalog pull` writes what a
 * platform publishes), and a name holding an OSC sequence set the terminal's window title when a
 * face was drawn. The name now reaches the terminal inert, as every catalog text does. A name
 * holding ESC or another control character is refused when the catalog loads
 * (catalog-name-controls), and so is one holding a bidi override: render
 * then draws nothing and names the override in its problem, inert.
 */
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { FOOD, makeRenderSampleFixture, type RenderSampleFixture } from './render-sample-fixture.js';

let fixture: RenderSampleFixture;

beforeAll(async () => {
  fixture = await makeRenderSampleFixture('licbridge-render-name-terminal-');
  const file = join(fixture.dir, 'catalog', 'food-business-license.yaml');
  // YAML double quotes: `\u202E` is RIGHT-TO-LEFT OVERRIDE, which turns around the text after it.
  const hostile = (await readFile(file, 'utf8')).replace(
    'name: 食品经营许可证',
    'name: "食品经营\\u202E许可证"',
  );
  await writeFile(file, hostile);
});
afterAll(async () => {
  if (fixture) await rm(fixture.dir, { recursive: true, force: true });
});

describe('render: the license type name from the catalog', () => {
  it('holding a bidi override is refused, and shown without it', async () => {
    const png = join(fixture.dir, 'face.png');
    const r = await licbridge(['render', '--sample', FOOD, '--png', png, '-c', fixture.config], {
      cwd: fixture.dir,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout + r.stderr).toContain('食品经营<U+202E>许可证');
    expect(r.stdout + r.stderr).not.toContain('\u202e');
    await expect(access(png)).rejects.toThrow();
  });
});
