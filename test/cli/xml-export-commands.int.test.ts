/**
 * The commands an engineer uses on an export folder, through the command line: `preview --file` and
 * `--offset` reach any file's rows, `discover` explains keys repeated across files, `source forget`
 * makes the next run read everything again, and a truncated file is reported where it ends.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportXml, legacyExportRecords, writeExport } from '../connectors/xml-fixtures.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('export-folder commands', () => {
  let ws: DemoWorkspace;
  let base: Record<string, string | null>[] = [];
  const cli = (...args: string[]) => licbridge([...args, '--config', ws.configFile], { timeoutMs: 120_000 });
  const exportsDir = () => join(ws.dir, 'exports');

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 4 });
    await mkdir(exportsDir(), { recursive: true });
    const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
      .replace(
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
        'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, trim: all }',
      )
      .replace(
        'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
        'stream: { table: Root/Records/Record, key: ID, cursor: GXSJ }',
      );
    await writeFile(ws.configFile, yaml);
    base = legacyExportRecords(ws.legacyDb);
    await writeExport(exportsDir(), 'SPXK_0001.xml', base.slice(0, 20));
    // Rows 11–20 exported again, later, with a newer update time.
    await writeExport(
      exportsDir(),
      'SPXK_0002.xml',
      base.slice(10, 30).map((r) => ({ ...r, GXSJ: '2030-01-01 00:00:00' })),
    );
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  it('preview --file shows one file, every record of it; --offset skips into it', async () => {
    const all = await cli('preview', PIPELINE, '--file', 'SPXK_0002.xml', '--limit', '100', '--json');
    expect(all.status).toBe(0);
    const rows = (JSON.parse(all.stdout) as { rows: { key: string }[] }).rows;
    expect(rows.map((r) => r.key)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 11)));
    const later = await cli('preview', PIPELINE, '--file', 'SPXK_0002.xml', '--offset', '15', '--json');
    expect((JSON.parse(later.stdout) as { rows: { key: string }[] }).rows.map((r) => r.key)).toEqual([
      '26',
      '27',
      '28',
      '29',
      '30',
    ]);
    const missing = await cli('preview', PIPELINE, '--file', 'SPXK_0003.xml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('file SPXK_0003.xml not found');
    expect(missing.stderr).toMatch(/did you mean `SPXK_000[12]\.xml`/);
  });

  it('discover explains the key repeated across files and names the cursor', async () => {
    const r = await cli('discover', 'market-food');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('suggested stream: { table: Root/Records/Record, key: ID, cursor: GXSJ }');
    expect(r.stdout).toContain('note: ID repeats across files but never within one');
  });

  it('source forget: the next run reads every file again and creates nothing', async () => {
    const first = await cli('run', PIPELINE, '--json');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/"read":30/);
    const again = await cli('run', PIPELINE, '--json');
    expect(again.stdout).toMatch(/"read":0/);
    const forget = await cli('source', 'forget', 'market-food');
    expect(forget.status).toBe(0);
    expect(forget.stdout).toContain('forgot 2 export file record(s)');
    const reread = await cli('run', PIPELINE, '--json');
    expect(reread.status).toBe(0);
    expect(reread.stdout).toMatch(/"read":30/);
    expect(reread.stdout).toMatch(/"created":0/);
  }, 180_000);

  it('a truncated export stops the run with LB_SOURCE_SCHEMA where it ends; the summary counts what went out', async () => {
    // A good file first: its licenses are created, signed and delivered before the broken one stops the read.
    await writeExport(
      exportsDir(),
      'SPXK_0003.xml',
      base.slice(0, 12).map((r, i) => ({ ...r, ID: String(100 + i), GXSJ: '2031-01-01 00:00:00' })),
    );
    const text = exportXml(base.slice(12, 14).map((r, i) => ({ ...r, ID: String(200 + i) })));
    const cut = text.slice(0, text.lastIndexOf('<Record>'));
    await writeFile(join(exportsDir(), 'SPXK_0004.xml'), cut);
    const r = await cli('run', PIPELINE, '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('    at ');
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    const text2 = JSON.stringify(summary);
    expect(text2).toContain('SPXK_0004.xml');
    expect(text2).toContain(`line ${cut.trimEnd().split('\n').length},`);
    expect(text2).toContain('LB_SOURCE_SCHEMA');
    const created = Number(/"created":(\d+)/.exec(text2)?.[1]);
    expect(created, text2).toBeGreaterThan(0);
    // Every license the failed run created was delivered, and the summary says so.
    expect(text2).toContain(`"delivered":{"province":${created}}`);
    expect(text2).toContain('"state":"failed"');
  }, 120_000);
});
