import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { Checkpoint, SourceRow } from '../../connectors/source.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-legacy-day-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stream = { table: 'T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ' };

async function readFrom(
  path: string,
  after: Checkpoint | null,
): Promise<{ rows: SourceRow[]; last: Checkpoint | null }> {
  const connector = await openSource('west-coast', { kind: 'sqlite', path, trim: 'all', pageSize: 500 });
  const rows: SourceRow[] = [];
  let last = after;
  try {
    for await (const page of connector.read({ stream, after, pageSize: 64 })) {
      rows.push(...page.rows);
      last = page.checkpoint;
    }
  } finally {
    await connector.close();
  }
  return { rows, last };
}

describe('a day of changes in the legacy system', () => {
  it('is found by an incremental read from the previous checkpoint, and nothing else', async () => {
    const path = join(dir, 'legacy.db');
    await generateLegacyDatabase(path, { rows: 600, seed: 3 });
    const first = await readFrom(path, null);
    expect(first.rows).toHaveLength(600);

    const day = await applyLegacyChanges(path, { revoke: 4, modify: 6, add: 3, seed: 11 });
    expect(day.revoked).toHaveLength(4);
    expect(day.modified).toHaveLength(6);
    expect(day.added).toEqual(['601', '602', '603']);

    const next = await readFrom(path, first.last);
    const touched = [...day.revoked, ...day.modified, ...day.added];
    expect(next.rows.map((r) => r.key).sort()).toEqual([...touched].sort());
    for (const row of next.rows) {
      expect(String(row.values.GXSJ).slice(0, 10)).toBe(day.day);
      if (day.revoked.includes(row.key)) expect(row.values.ZT).toBe('0');
    }
    // Nothing more after the new checkpoint: a second run the same day reads nothing.
    expect((await readFrom(path, next.last)).rows).toEqual([]);
  });

  it('is deterministic from the seed', async () => {
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    for (const p of [a, b]) {
      await generateLegacyDatabase(p, { rows: 200, seed: 5 });
      await applyLegacyChanges(p, { seed: 9 });
    }
    const ra = await readFrom(a, null);
    const rb = await readFrom(b, null);
    expect(rb.rows).toEqual(ra.rows);
  });
});
