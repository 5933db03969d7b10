/**
 * The hostile corpus through a real pipeline run: a SQLite legacy table holding good and hostile
 * rows, read, mapped, committed, signed and delivered (province simulator, Redis). The run's counts
 * add up and each hostile row is exactly one quarantine record with the expected code.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openWritable } from '../../examples/west-coast/generate-legacy-db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import {
  goodRow,
  HOSTILE_COLUMNS,
  HOSTILE_ENTRY,
  HOSTILE_ISSUER,
  HOSTILE_MAPPING,
  HOSTILE_TYPE,
  hostileCases,
} from './hostile-corpus.js';

const GOOD = 8;

describe('a pipeline run over hostile legacy rows', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    await writeFile(join(ws.dir, 'catalog', 'health-certificate.yaml'), HOSTILE_ENTRY);
    await writeFile(join(ws.dir, 'mappings', 'health.yaml'), HOSTILE_MAPPING);
    const db = await openWritable(ws.legacyDb);
    try {
      db.exec(
        'CREATE TABLE T_HOSTILE (ID INTEGER PRIMARY KEY, ZH CHAR(12), XM VARCHAR(50), SFZH CHAR(18), FZRQ CHAR(8), YXQZ CHAR(8), ZT CHAR(1), DW TEXT, DWDM CHAR(18))',
      );
      const insert = db.prepare(
        `INSERT INTO T_HOSTILE (${HOSTILE_COLUMNS.join(', ')}) VALUES (${HOSTILE_COLUMNS.map(() => '?').join(', ')})`,
      );
      const rows = [
        ...Array.from({ length: GOOD }, (_, i) => goodRow(i + 1)),
        ...hostileCases().map((c) => c.values),
      ];
      for (const row of rows) insert.run(...HOSTILE_COLUMNS.map((c) => row[c] ?? null));
    } finally {
      db.close();
    }
    const config = await readFile(ws.configFile, 'utf8');
    const pipeline = `  health-certificates:
    source: market-food
    stream: { table: T_HOSTILE, key: ID }
    mapping: ./mappings/health.yaml
    licenseType: ${HOSTILE_TYPE}
    issuer: { name: ${HOSTILE_ISSUER.name}, code: ${HOSTILE_ISSUER.code} }
    areaCode: "370211"
    pageSize: 5
    signer: district-seal
    targets: [province]
`;
    await writeFile(ws.configFile, config.replace('pipelines:\n', `pipelines:\n${pipeline}`));
  });
  afterAll(async () => ws?.cleanup());

  it('adds up, and quarantines each hostile row once with the right code', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const logger = createLogger({ level: 'silent' });
    const [run] = await runPipelines(config, { pipelines: ['health-certificates'], full: true, logger });
    const cases = hostileCases();
    expect(run).toMatchObject({
      state: 'done',
      read: GOOD + cases.length,
      created: GOOD,
      quarantined: cases.length,
    });
    expect((run?.created ?? 0) + (run?.unchanged ?? 0) + (run?.quarantined ?? 0)).toBe(run?.read);
    expect(run?.delivered.province).toBe(GOOD);

    const ledger = await openLedger(config.ledger.url, { logger });
    try {
      const records = await ledger.quarantineFor(run?.runId ?? '');
      expect(records.map((r) => r.sourceKey).sort()).toEqual(cases.map((c) => String(c.values.ID)).sort());
      for (const c of cases) {
        const record = records.find((r) => r.sourceKey === String(c.values.ID));
        expect(new Set(record?.reasons.map((r) => r.code)), c.what).toEqual(new Set([c.code]));
      }
      expect(JSON.stringify(records)).not.toContain('李四');
    } finally {
      await ledger.close();
    }
  });
});
