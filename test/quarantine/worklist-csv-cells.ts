import type { Worklist } from '../../pipelines/quarantine-list.js';

const at = new Date('2026-03-01T00:00:00Z');

/** A worklist of one food entry `sourceKey`, its one reason (a date not valid) naming `value`. */
export function listOf(sourceKey: string, value: string): Worklist {
  return {
    entries: [
      {
        pipeline: 'food',
        sourceKey,
        reasons: [
          { code: 'LB_MAP_DATE', message: 'm', zh: '日期无效', en: 'date not valid', column: 'YXQZ', value },
        ],
        firstSeen: at,
        lastSeen: at,
        timesSeen: 1,
      },
    ],
    byReason: { LB_MAP_DATE: 1 },
  };
}

/** The data line's cells, quoted ones unquoted. */
export function cells(csv: string): string[] {
  const line = csv.replace(/^\uFEFF/, '').split('\r\n')[1] ?? '';
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
    .filter((m) => m.index < line.length || m[1] !== '')
    .map((m) => (m[1]?.startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : (m[1] ?? '')));
}
