import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge } from './preview-spawn.js';

interface PreviewJson {
  pipeline: string;
  counts: { read: number; ok: number; quarantined: number };
  rows: {
    key: string;
    source: Record<string, string | null>;
    license?: Record<string, unknown>;
    failures?: { code: string; path?: string; column?: string; location?: string; value?: string }[];
  }[];
}

describe('licbridge preview', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60 });
  });
  afterAll(async () => ws?.cleanup());

  it('maps live rows, explains every failure, masks personal data and writes nothing', async () => {
    const r = await licbridge([
      'preview',
      'food-business-licenses',
      '--limit',
      '40',
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as PreviewJson;
    expect(out.counts.read).toBe(40);
    expect(out.rows).toHaveLength(40);
    expect(out.counts.ok + out.counts.quarantined).toBe(40);
    // The generator plants broken credit codes: some rows must be explained, not dropped.
    expect(out.counts.quarantined).toBeGreaterThan(0);
    for (const row of out.rows) {
      if (row.license) {
        expect(row.license.identifier).toMatch(
          /^1\.2\.156\.3005\.2\.11370200MB12345674001\.11370211MB12345672\.K/,
        );
        // The holder is a legal person: its credit code is public registration data, shown.
        expect(row.license['holder.id']).toMatch(/^[0-9A-Z]{18}$/);
      } else {
        expect(row.failures?.length).toBeGreaterThan(0);
        for (const f of row.failures ?? []) expect(f.code).toMatch(/^LB_[A-Z_]+$/);
      }
      // The legal representative is a natural person: masked.
      expect(row.source.FDDBR ?? '').toMatch(/^.\*+$/u);
    }
    const failure = out.rows.find((row) => row.failures)?.failures?.[0];
    expect(failure).toMatchObject({ path: 'holder.id', column: 'TYSHXYDM' });
    expect(failure?.location).toMatch(/food-business-license\.yaml:\d+$/);
    expect(existsSync(join(ws.dir, 'data', 'ledger.db'))).toBe(false);
  });

  it('shows personal data only when asked, and prints side by side as text', async () => {
    const shown = await licbridge([
      'preview',
      'food-business-licenses',
      '--limit',
      '3',
      '--json',
      '--show-personal',
      '--config',
      ws.configFile,
    ]);
    const out = JSON.parse(shown.stdout) as PreviewJson;
    expect(out.rows[0]?.source.FDDBR).not.toContain('*');
    const text = await licbridge([
      'preview',
      'food-business-licenses',
      '--limit',
      '3',
      '--config',
      ws.configFile,
    ]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('│ identifier = "1.2.156.3005.2.');
    expect(text.stdout).toMatch(
      /3 row\(s\) read, \d+ map to licenses, \d+ would be quarantined; nothing was written/,
    );
  });

  it('exits 2 for an unknown pipeline or a bad --limit', async () => {
    const unknown = await licbridge(['preview', 'nope', '--config', ws.configFile]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('food-business-licenses');
    const limit = await licbridge([
      'preview',
      'food-business-licenses',
      '--limit',
      '0',
      '--config',
      ws.configFile,
    ]);
    expect(limit.status).toBe(2);
    expect(limit.stderr).toContain('--limit');
  });
});
