/**
 * Upgrading over attribute values that hold a literal tab or line break (XML 1.0 §3.3.3 makes
 * each a space; earlier releases kept it): a checkpoint written by an earlier release carries
 * the key and the cursor value as they read then (`A⇥1`), the files-read record names files only.
 * A resume goes on from the file and record index either way: the key and cursor value in a
 * checkpoint are for `licbridge status` to show, never matched against the records.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Checkpoint, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { decodePosition, encodePosition } from '../../connectors/xml-files/position.js';
import { memoryState, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const keyed: StreamSpec = { table: RECORD_PATH, key: 'ID' };
const withCursor: StreamSpec = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };

function folder(): string {
  const dir = tempFolder();
  folders.push(dir);
  const records = [1, 2, 3]
    .map((n) => `<Record ID="A\t${n}" GXSJ="2026-11-05\t0${n}:00:00"><MC>甲店${n}</MC></Record>`)
    .join('\n');
  writeFileSync(join(dir, 'SPXK_1.xml'), `<Root><Records>\n${records}\n</Records></Root>\n`);
  return dir;
}

async function keysRead(dir: string, stream: StreamSpec, after: Checkpoint | null, pageSize = 10) {
  const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
  const keys: string[] = [];
  const checkpoints: Checkpoint[] = [];
  try {
    for await (const page of source.read({ stream, after, pageSize })) {
      keys.push(...page.rows.map((r) => r.key));
      checkpoints.push(page.checkpoint);
    }
  } finally {
    await source.close();
  }
  return { keys, checkpoints };
}

describe('xml-files: resuming across the attribute-value upgrade', () => {
  for (const [shape, stream] of [
    ['key-only', keyed],
    ['with a cursor', withCursor],
  ] as const) {
    it(`resumes a ${shape} stream from an earlier release's checkpoint that holds the key with its tab`, async () => {
      const dir = folder();
      const first = await keysRead(dir, stream, null, 1);
      expect(first.keys).toEqual(['A 1', 'A 2', 'A 3']);
      const now = first.checkpoints[0] as Checkpoint;
      expect(JSON.stringify(now)).not.toContain('\\t');
      const { sha256 } = decodePosition(now, 'food');
      // The same page as an earlier release wrote it: the key and cursor value kept the tab.
      const earlier = encodePosition(
        { file: 'SPXK_1.xml', index: 0, sha256 },
        { key: 'A\t1', cursor: stream.cursor ? '2026-11-05\t01:00:00' : null },
        stream.cursor !== undefined,
      );
      expect(JSON.stringify(earlier)).toContain('\\t');
      expect((await keysRead(dir, stream, earlier)).keys).toEqual(['A 2', 'A 3']);
      expect((await keysRead(dir, stream, now)).keys).toEqual(['A 2', 'A 3']);
    });
  }
});
