/**
 * `audit export --from/--to` take a sequence number. One past the safe integers was read as
 * another number (9007199254740993 as ...992), and one past PostgreSQL's bigint failed the export
 * with the database's words (`22003: value … is out of range for type bigint`, a ledger failure)
 * where a SQLite ledger exported nothing: it is refused as a mistyped bound, naming it, on both.
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

describe('audit export sequence-number bounds', () => {
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
    ['from', '100000000000000000000'],
    ['to', '9007199254740993'],
  ] as const)('refuses --%s %s, naming it', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(
      `audit: expected \`--${which}\` to be a sequence number of at most 9007199254740991 or an ISO date, got \`${value}\``,
    );
  });

  it.each([
    ['from', '9007199254740991'],
    ['to', '0'],
  ] as const)('takes --%s %s', async (which, value) => {
    await expect(exporting({ [which]: value })).rejects.toThrow(missing);
  });
});
