/**
 * Personal data by holder category in preview: a legal person's name and credit code are public
 * registration data and shown; a natural person's name and ID number are masked, as is the legal
 * representative's name on any license; `--show-personal` shows them, failure values included.
 * Quarantine reasons follow the same rule (they are kept in the ledger for years).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

interface PreviewJson {
  rows: {
    key: string;
    source: Record<string, string | null>;
    license?: Record<string, unknown>;
    failures?: { code: string; path?: string; column?: string; value?: string }[];
  }[];
}

let ws: DemoWorkspace;
/** Legal representatives' ID numbers made wrong (check character) for the natural-person view. */
let wrongIds: string[] = [];
const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
async function preview(pipeline: string, extra: string[] = []): Promise<PreviewJson> {
  const r = await cli(['preview', pipeline, '--limit', '300', '--json', ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PreviewJson;
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 300, seed: 7 });
  const db = new Database(ws.legacyDb);
  try {
    db.prepare(
      "UPDATE T_SPXK_XKZ SET FDDBRSFZ = substr(FDDBRSFZ, 1, 17) || CASE WHEN substr(FDDBRSFZ, 18, 1) = '0' THEN '1' ELSE '0' END WHERE ID IN (1, 2)",
    ).run();
    wrongIds = (
      db.prepare('SELECT FDDBRSFZ FROM T_SPXK_XKZ WHERE ID IN (1, 2)').pluck().all() as string[]
    ).map((v) => v.trim());
  } finally {
    db.close();
  }
  // The same table seen as licenses held by natural persons: the legal representative, by ID number.
  const mapping = await readFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), 'utf8');
  const natural = mapping
    .replace(
      'holder.name: { from: JYZMC, transform: [trim], required: true }',
      'holder.name: { from: FDDBR, transform: [trim], required: true }',
    )
    .replace('holder.idType: { const: "001" }', 'holder.idType: { const: "111" }')
    .replace(
      'holder.id: { from: TYSHXYDM, transform: [trim, halfWidth, upper], required: true }',
      'holder.id: { from: FDDBRSFZ, transform: [trim, upper], required: true }',
    );
  expect(natural).toContain('FDDBRSFZ, transform');
  await writeFile(join(ws.dir, 'mappings', 'natural.yaml'), natural);
  // A license type held by natural persons: the same entry under its own code and holder category.
  const entry = await readFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8');
  const naturalEntry = entry
    .replace('code: 11370200MB12345674001', 'code: 11370200MB12345674002')
    .replace('holderCategory: legal-person', 'holderCategory: natural-person');
  expect(naturalEntry).toContain('natural-person');
  await writeFile(join(ws.dir, 'catalog', 'natural-holder-license.yaml'), naturalEntry);
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(
    ws.configFile,
    yaml.replace(
      '\nsigners:',
      `
  natural-holders:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/natural.yaml
    licenseType: 11370200MB12345674002
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]
signers:`,
    ),
  );
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('preview masks by holder category', () => {
  it("shows a legal person's name and credit code, masks the legal representative", async () => {
    const { rows } = await preview('food-business-licenses');
    const licensed = rows.filter((r) => r.license);
    expect(licensed.length).toBeGreaterThan(200);
    for (const r of licensed) {
      const license = r.license as Record<string, string>;
      expect(license['holder.name']).toBe(r.source.JYZMC?.trim());
      expect(license['holder.id']).not.toContain('*');
      expect(license['surface.legalRepresentative']).toMatch(/^.\*+$/u);
    }
    // Quarantined for a wrong credit code: the code is shown, so the department can find the row.
    const bad = rows.flatMap((r) => r.failures ?? []).filter((f) => f.code === 'LB_HOLDER_ID_CHECK');
    expect(bad.length).toBeGreaterThan(0);
    for (const f of bad) expect(f.value).toMatch(/^[0-9A-Z]{18}$/);
  });

  it("masks a natural person's name and ID number, in licenses and in failures", async () => {
    const { rows } = await preview('natural-holders');
    const licensed = rows.filter((r) => r.license);
    expect(licensed.length, JSON.stringify(rows[0]?.failures)).toBeGreaterThan(200);
    for (const r of licensed) {
      const license = r.license as Record<string, string>;
      expect(license['holder.name']).toMatch(/^.\*+$/u);
      expect(license['holder.id']).toMatch(/^.{4}\*+.{4}$/);
    }
    const failures = rows.flatMap((r) => r.failures ?? []).filter((f) => f.path === 'holder.id' && f.value);
    expect(failures.length).toBe(wrongIds.length);
    for (const f of failures) expect(f.value).toContain('*');
    expect(failures.map((f) => f.value)).not.toContain(wrongIds[0]);
  });

  it('shows everything with --show-personal, failure values too', async () => {
    const { rows } = await preview('natural-holders', ['--show-personal']);
    const licensed = rows.filter((r) => r.license);
    for (const r of licensed)
      expect((r.license as Record<string, string>)['holder.name']).toBe(r.source.FDDBR?.trim());
    const failures = rows.flatMap((r) => r.failures ?? []).filter((f) => f.path === 'holder.id' && f.value);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.map((f) => f.value).sort()).toEqual([...wrongIds].sort());
  });
});
