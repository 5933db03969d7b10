/**
 * The demo table in PostgreSQL is read by its `timestamp(6)` cursor with `lagMs` 0, the default: a
 * row committing during a read with a cursor at or below a page's last is skipped for good. Each
 * extract says so once, at its start, however many pages it reads — a worker lives across runs,
 * so once per process would be said once a month. With a lag window it says nothing.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

const FIX = 'set lagMs a little above your longest write transaction, 5000–30000';

let ws: PgLegacyWorkspace;

beforeAll(async () => {
  ws = await createPgLegacyWorkspace({ rows: 12, pageSize: 5 });
});

afterAll(async () => {
  await ws?.cleanup();
});

/** Extracts the demo pipeline `runs` times in one runtime (one worker); its log lines. */
async function extract(runs: number): Promise<{ lines: Record<string, unknown>[]; pages: number[] }> {
  let logged = '';
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const runtime = new Runtime(config, createLogger({ destination, level: 'info' }));
  const pages: number[] = [];
  try {
    const parts = await runtime.pipeline('food-business-licenses');
    const ledger = await runtime.ledger();
    for (let i = 0; i < runs; i++) {
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: parts.name, mode: 'full' });
      const totals = await extractPipeline(parts, ledger, {
        runId,
        full: true,
        onPage: async () => {},
        logger: runtime.logger,
      });
      pages.push(totals.pages);
    }
  } finally {
    await runtime.close();
  }
  for (const key of ws.keys) expect(logged).not.toContain(`"${key}"`);
  const lines = logged
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, pages };
}

describe('extract: a date/time cursor read without a lag window', () => {
  it('is warned about once at the start of each run, naming the source, the stream and the cursor', async () => {
    const { lines, pages } = await extract(2);
    expect(pages).toEqual([3, 3]);
    const warned = lines.filter((l) => String(l.msg).includes(FIX));
    expect(warned).toEqual([
      expect.objectContaining({ level: 40, pipeline: 'food-business-licenses', source: 'market-food' }),
      expect.objectContaining({ level: 40, pipeline: 'food-business-licenses', source: 'market-food' }),
    ]);
    expect(warned[0]).toMatchObject({
      table: 'T_SPXK_XKZ',
      cursor: 'GXSJ',
      msg: expect.stringMatching(
        /^source market-food: stream `T_SPXK_XKZ` is read by its date\/time cursor `GXSJ` \(timestamp\(6\) without time zone\) with lagMs 0: /,
      ),
    });
    expect(warned[0]?.runId).not.toBe(warned[1]?.runId);
  });

  it('is not warned about with lagMs 5000', async () => {
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace('trim: all }', 'trim: all, lagMs: 5000 }'));
    const { lines } = await extract(1);
    expect(lines.filter((l) => String(l.msg).includes('lagMs'))).toEqual([]);
  });
});
