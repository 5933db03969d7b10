/**
 * Quarantine is watched: a run that quarantined more than the pipeline's `quarantineAlertShare`
 * (default 5 %) of the rows it read makes `status` exit 3 with the top reason codes and the
 * command listing them; a small share does not. Needs Redis and the demo workspace.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  quarantineByReason,
  quarantineShareAttention,
} from '../../pipelines/observability/quarantine-attention.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

function sql(file: string, statement: string): void {
  const db = new Database(file);
  try {
    db.prepare(statement).run();
  } finally {
    db.close();
  }
}

describe('quarantine share', () => {
  it('37 % needs a person, 0.5 % does not (default 5 %)', () => {
    const run = { runId: 'r1', read: 1000, quarantined: 370 };
    const byReason = quarantineByReason([
      ...Array.from({ length: 300 }, () => ({
        reasons: [{ code: 'LB_MAP_ENCODING' }, { code: 'LB_MAP_ENCODING' }],
      })),
      ...Array.from({ length: 70 }, () => ({ reasons: [{ code: 'LB_MAP_REQUIRED' }] })),
    ]);
    expect(byReason).toEqual({ LB_MAP_ENCODING: 300, LB_MAP_REQUIRED: 70 });
    const [note] = quarantineShareAttention('food', run, byReason, 0.05);
    expect(note?.kind).toBe('quarantine-share');
    expect(note?.message).toContain('quarantined 370 of 1000 row(s) read (37 %, above 5 %)');
    expect(note?.message).toContain('top reasons: LB_MAP_ENCODING 300, LB_MAP_REQUIRED 70');
    expect(note?.message).toContain('`licbridge quarantine list --pipeline food`');
    expect(quarantineShareAttention('food', { ...run, quarantined: 5 }, byReason, 0.05)).toEqual([]);
  });
});

describe('status watches the quarantine share', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;
  let runOutput: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200 });
    // A wrong status code table: 37 % of the rows carry a code the mapping's lookup lacks.
    sql(ws.legacyDb, "UPDATE T_SPXK_XKZ SET ZT = '9' WHERE ID % 100 < 37");
    runOutput = await licbridge(['run', PIPELINE, '--config', ws.configFile]);
    expect(runOutput.status, runOutput.stderr).toBe(0);
  }, 150_000);
  afterAll(async () => ws?.cleanup());

  it('the run summary breaks the quarantine down by reason code', () => {
    expect(runOutput.stdout).toMatch(
      /quarantined 7\d\n {2}quarantined by reason: LB_MAP_LOOKUP 74(, LB_[A-Z_]+ \d+)*\n/,
    );
  });

  it('a run with 37 % quarantined: exit 3, the top reasons and the command to list them', async () => {
    const r = await licbridge(['status', '--config', ws.configFile]);
    expect(r.status, r.stdout).toBe(3);
    expect(r.stdout).toMatch(/quarantined by reason: LB_MAP_LOOKUP \d+/);
    expect(r.stdout).toMatch(
      /quarantined \d+ of 200 row\(s\) read \((3[7-9]|4\d) %, above 5 %\); top reasons: LB_MAP_LOOKUP/,
    );
    expect(r.stdout).toContain(`licbridge quarantine list --pipeline ${PIPELINE}`);
  });

  it('the same run under a share of 0.5 %: no attention for it', async () => {
    // The run's count read is raised so its quarantine is 0.5 % of it.
    const ledger = join(ws.dir, 'data', 'ledger.db');
    sql(
      ledger,
      `UPDATE runs SET read_count = quarantined_count * 200, created_count = quarantined_count * 199 - unchanged_count WHERE pipeline = '${PIPELINE}'`,
    );
    const r = await licbridge(['status', '--config', ws.configFile]);
    expect(r.stdout).not.toContain('quarantine list --pipeline');
    expect(r.stdout).toContain('all well');
    expect(r.status, r.stdout).toBe(0);
  });

  it('the threshold is the pipeline knob quarantineAlertShare', async () => {
    const text = (await import('node:fs/promises')).readFile(ws.configFile, 'utf8');
    const file = join(ws.dir, 'strict.yaml');
    await writeFile(
      file,
      (await text).replace('    pageSize: 100\n', '    pageSize: 100\n    quarantineAlertShare: 0.001\n'),
    );
    const r = await licbridge(['status', '--config', file]);
    expect(r.status, r.stdout).toBe(3);
    expect(r.stdout).toContain('(0.5 %, above 0.1 %)');
  });
});
