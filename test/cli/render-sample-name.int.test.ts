/**
 * `render --sample <name>` draws the type asked for: when two catalog entries share the name
 * (a license type under a legal-person and a natural-person code), the name does not say which,
 * and the command refuses, naming each code, instead of drawing whichever entry came first.
 *
 * The picture is not the point here (test/documents/render-face.int.test.ts checks the drawn
 * face): the copies' faces hold one line of text, since a full face costs 1-1.5 s of CPU to draw
 * (resvg reads the CJK font for every glyph; the sample face has some 160).
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { FOOD, makeRenderSampleFixture } from './render-sample-fixture.js';

const NATURAL = '11370200MB12345674002';
let dir: string;
let config: string;

beforeAll(async () => {
  const fixture = await makeRenderSampleFixture('licbridge-render-name-');
  ({ dir, config } = fixture);
  const natural = fixture.entry
    .replace(`code: ${FOOD}`, `code: ${NATURAL}`)
    .replace('holderCategory: legal-person', 'holderCategory: natural-person');
  expect(natural).toContain(NATURAL);
  await writeFile(join(dir, 'catalog', 'food-natural.yaml'), natural);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('render --sample by name', () => {
  it('refuses a name two types share, naming both codes, and draws nothing', async () => {
    const png = join(dir, 'by-name.png');
    const r = await licbridge(['render', '--sample', '食品经营许可证', '--png', png, '-c', config], {
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('render: license type name `食品经营许可证` is shared by');
    expect(r.stderr).toContain(FOOD);
    expect(r.stderr).toContain(NATURAL);
    expect(existsSync(png)).toBe(false);
  });

  it('draws each by its code', async () => {
    for (const code of [FOOD, NATURAL]) {
      const png = join(dir, `${code}.png`);
      const r = await licbridge(['render', '--sample', code, '--png', png, '--json', '-c', config], {
        cwd: dir,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ licenseType: code, sample: true, overflows: [] });
      expect(existsSync(png)).toBe(true);
    }
  });
});

describe('render without a license', () => {
  it('says that neither a license id nor --sample was given (exit 2)', async () => {
    const r = await licbridge(['render', '--png', join(dir, 'none.png'), '-c', config], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'render: pass a license id (a ledger license) or --sample <type>: neither was given',
    );
    expect(r.stderr).not.toContain('not both');
  });
});
