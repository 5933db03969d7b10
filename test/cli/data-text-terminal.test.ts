/**
 * Text from data — a mapping test case's name and expected value, a catalog entry's name — reaches
 * the terminal of `licbridge test` (text and `--json`), `catalog check --json` and `render --json`
 * with no C1 control or bidi override left raw, and `--json` still parses to the values as written.
 * A catalog entry's name holding one is refused at load (catalog-name-controls): `catalog check`
 * names it in its problem, still with none raw.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge, ROOT } from '../support/cli.js';

const EXAMPLE = join(ROOT, 'examples', 'west-coast');
// CSI (C1), a right-to-left override and a right-to-left isolate: each makes a terminal obey it.
const HOSTILE = 'evil\u009b2J\u202e\u2067name';
// A catalog name with a control character (C0, DEL, C1) or a bidi override is refused at load:
// the entry of `hostileCatalog` carries the override and isolate, which its problem must show inert.
const HOSTILE_NAME = 'evil\u202e\u2067name';
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let hostileCatalog: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-data-text-'));
  await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
  await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
  hostileCatalog = join(dir, 'hostile-catalog');
  await cp(join(EXAMPLE, 'catalog'), hostileCatalog, { recursive: true });
  const entry = join(hostileCatalog, 'food-business-license.yaml');
  const yaml = await readFile(entry, 'utf8');
  await writeFile(entry, yaml.replace(/^name: .*$/m, `name: "${HOSTILE_NAME}"`));
  const tests = join(dir, 'mappings', 'food-business-license.test.yaml');
  const text = await readFile(tests, 'utf8');
  await writeFile(
    tests,
    text
      .replace('- name: a clean row becomes a valid license', `- name: "${HOSTILE}"`)
      .replace('number: JY23702110012345\n', `number: "${HOSTILE}"\n`),
  );
  await writeFile(
    join(dir, 'licbridge.yaml'),
    'ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\nsources: {}\npipelines: {}\nsigners: {}\ntargets: {}\n',
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('text from data on stdout', () => {
  it('licbridge test prints case names and messages with no raw control', async () => {
    const r = await licbridge(['test', join(dir, 'mappings')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('evil');
    expect(r.stdout).not.toMatch(RAW);
  });

  it('licbridge test --json escapes them and parses to the same values', async () => {
    const r = await licbridge(['test', '--json', join(dir, 'mappings')]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    const names = JSON.parse(r.stdout).results.flatMap((f: { cases: { name: string }[] }) =>
      f.cases.map((c) => c.name),
    );
    expect(names).toContain(HOSTILE);
  });

  it('catalog check refuses an entry name holding a bidi override, showing it with no raw control', async () => {
    const r = await licbridge(['catalog', 'check', hostileCatalog]);
    // 2: a config problem, as every catalog load error is.
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('evil<U+202E><U+2067>name');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });

  it('catalog check --json escapes an entry name and parses to the same value', async () => {
    const r = await licbridge(['catalog', 'check', join(dir, 'catalog'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).entries[0].name).toBe('食品经营许可证');
  });

  it('render --json escapes the file it wrote and parses to the same path', async () => {
    const png = join(dir, `${HOSTILE}.png`);
    const args = ['render', '--sample', '11370200MB12345674001', '--png', png, '--json'];
    const r = await licbridge([...args, '-c', join(dir, 'licbridge.yaml')], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).file).toBe(png);
  });
});
