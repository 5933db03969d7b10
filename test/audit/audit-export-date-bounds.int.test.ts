/**
 * `audit export --from/--to` take a sequence number or an ISO date. A date-time that names no
 * moment of the calendar (30 February, hour 25, minute 60) was rolled over by Date into another
 * one (2 March, 01:00 the next day), and a date in another form (`2026/12/01`, `December 1, 2026`)
 * was read on the host's clock, not the department's as the docs promise: the export covered
 * other hours than the ones asked for, and said nothing. Both are refused now, naming the bound.
 *
 * The ledger of this workspace is not there: a bound accepted reaches the ledger's open, which
 * refuses it naming the file; a bound refused never gets that far.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { exportAudit } from '../../pipelines/audit.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('audit export date bounds', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let missing: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    missing = `SQLite file ${join(ws.dir, 'data', 'ledger.db')} is not there`;
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  const exporting = (bounds: { from?: string; to?: string }) =>
    exportAudit(config, { ...bounds, out: join(ws.dir, 'export.jsonl') }, logger);

  it.each([
    ['from', '2026-02-30T00:00:00Z'],
    ['to', '2026-02-29'],
    ['to', '2026-12-01T25:00'],
    ['from', '2026-12-01T23:60'],
    ['to', '2026-12-01T10:00:61+08:00'],
    ['to', '2026-12-01T24:00:01Z'],
    ['from', '2026/12/01'],
    ['to', 'December 1, 2026'],
    ['from', '2026-12-01T08:30+08'],
  ] as const)('refuses --%s %s, naming it', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(
      `audit: expected \`--${which}\` to be a sequence number or an ISO date, got \`${value}\``,
    );
  });

  it.each([
    ['from', '12'],
    ['from', '2026-12-01'],
    ['to', '2026-12-01T08:30'],
    ['to', '2026-12-01 08:30:15.5'],
    ['from', '2026-12-01T00:00:00Z'],
    ['from', '2026-12-01T08:30Z'],
    ['to', '2026-12-01T08:30:00+08:00'],
    ['to', '2026-12-01T08:30:00.123456+0800'],
    ['to', '2026-12-01T24:00'],
    ['to', '2026-12-01T24:00:00Z'],
    ['from', '2026-12-01t08:30:00z'],
    ['from', '2026-12-01t08:30'],
  ] as const)('takes --%s %s', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(missing);
  });
});
