/**
 * `audit verify --against` hashes each export whole (SM3 over its bytes) before it checks its
 * signature: an export of a 20-year chain runs to gigabytes, and the hashing said nothing. It now
 * shows the bytes hashed against the export's size on stderr, through the same progress as the
 * rest of verify, before the export's entries are compared; `--json` none.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { candidates, licenseIdOf } from '../ledger/fixtures.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'hashing';
/** Pages of one version each: an export of some hundred kilobytes, read in more than one piece. */
const PAGES = 400;

/** The progress lines of a command's stderr (its log lines are JSON or start with a level). */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('audit verify: '));
const regexText = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('audit verify --against: progress of the hashing of an export', () => {
  let ws: DemoWorkspace;
  let out: string;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 13 });
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger });
    try {
      await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
      for (let n = 1; n <= PAGES; n += 1) {
        await ledger.commitPage({
          pipeline: PIPELINE,
          runId: 'run-1',
          checkpoint: encodeKeyPosition({ cursor: null, key: `k${n}` }),
          rowsRead: 1,
          candidates: candidates(n, 1, { pipeline: PIPELINE }),
          quarantined: [],
        });
      }
    } finally {
      await ledger.close();
    }
    out = join(ws.dir, 'whole.jsonl');
    const exported = await cli(['audit', 'export', '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('shows the bytes hashed against the size, before the entries compared; none with --json', async () => {
    const size = (await stat(out)).size;
    // More than one piece of the read stream (64 KiB each): more than one count.
    expect(size).toBeGreaterThan(64 * 1024);
    const shown = await cli(['audit', 'verify', '--against', out, '--progress-interval', '0']);
    expect(shown.status, shown.stderr).toBe(0);
    const lines = progressLines(shown.stderr);
    const label = `audit verify: export ${regexText(out)}: bytes hashed`;
    const hashed = lines.flatMap((l, at) => {
      const m = new RegExp(`^${label}: (\\d+)/(\\d+) \\(([\\d.]+)%\\) \\d+/s ETA \\S+$`).exec(l);
      return m ? [{ at, done: Number(m[1]), total: Number(m[2]) }] : [];
    });
    expect(hashed.length).toBeGreaterThan(1);
    expect(hashed.every((h) => h.total === size)).toBe(true);
    const counts = hashed.map((h) => h.done);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(size);
    // The hashing comes before the export's entries are compared, once the chain is walked.
    const compared = lines.findIndex((l) => l.startsWith(`audit verify: export ${out}: entries compared: `));
    const checked = lines.findLastIndex((l) => l.startsWith('audit verify: entries checked: '));
    expect(compared).toBeGreaterThan(-1);
    expect(hashed.every((h) => h.at > checked && h.at < compared)).toBe(true);
    // Counts only: nothing of the export's entries.
    expect(shown.stderr).not.toContain(licenseIdOf(1, PIPELINE));

    const json = await cli(['audit', 'verify', '--against', out, '--progress-interval', '0', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, exports: [{ file: out }] });
    expect(json.stderr).toBe('');
  }, 60_000);
});
