/**
 * `licbridge status` showed a source's checkpoint key in full, and the key column may hold a
 * holder's ID number, passport number or name: only the shapes of a resident ID or mobile number
 * were masked, so a passport number, an ID number with a slip in its birth date, or a name went to
 * the terminal and to `--json` as read. The key is now always shown masked; the cursor, and an XML
 * source's file and record index, stay readable to tell progress.
 */
import { describe, expect, it } from 'vitest';
import { describeCheckpoint, encodeKeyPosition } from '../../connectors/key-position.js';
import { encodePosition } from '../../connectors/xml-files/position.js';
import { maskedCheckpoint } from '../../pipelines/observability/checkpoint-key.js';

const shown = (key: string, cursor: string | null = null) =>
  describeCheckpoint(maskedCheckpoint(encodeKeyPosition({ cursor, key })));

describe('a checkpoint key as status shows it', () => {
  it('masks the key whatever its shape, and keeps the cursor', () => {
    expect(shown('E12345678', '2026-12-01 08:00:00')).toBe('2026-12-01 08:00:00 / key E*******8');
    // A birth date no calendar has: no resident ID shape, a person's number all the same.
    expect(shown('110105199913310021')).toBe('- / key 1101**********0021');
    expect(shown('张三丰')).toBe('- / key ***');
    // The shapes masked as everywhere else: a mobile number keeps its last four only.
    expect(shown('11010519491231002X')).toBe('- / key 1101**********002X');
    expect(shown('13800138000')).toBe('- / key *******8000');
  });

  it('masks the key in the checkpoint status reports, and nothing else of it', () => {
    const cp = encodeKeyPosition({ cursor: '2026-12-01', key: 'E12345678' });
    expect(JSON.parse(maskedCheckpoint(cp))).toEqual({ v: 1, cursor: '2026-12-01', key: 'E*******8' });
    expect(maskedCheckpoint('{"v":7}')).toBe('{"v":7}');
  });

  it("keeps an XML source's file and record index readable, its row key masked", () => {
    const cp = encodePosition(
      { file: 'export-2026-12.xml', index: 41 },
      { key: 'E12345678', cursor: null },
      false,
    );
    expect(describeCheckpoint(maskedCheckpoint(cp))).toBe('- / key ["export-2026-12.xml",41,"E*******8"]');
  });
});
