// `sign files` writes each file's creation date (OFD.xml) as its signing day on the department's
// clock, `lifecycle.timeZone`, as every other day licbridge counts: a department configured on
// Asia/Urumqi (UTC+6) signing at 17:30 UTC sees its own date, not Beijing's (the next day).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';

const HOUR = 3_600_000;

/** The next instant at 17:30 UTC at least an hour away: the 2nd in Urumqi, the 3rd in Beijing. */
function nextHalfPastFive(now: number): Date {
  const day = new Date(now);
  day.setUTCHours(17, 30, 0, 0);
  return new Date(day.getTime() < now + HOUR ? day.getTime() + 24 * HOUR : day.getTime());
}

describe('sign files: the creation date', () => {
  let ws: FileWorkspace;

  beforeAll(async () => {
    // One version, no file yet.
    ws = await fileWorkspace(1, 0, { signed: 'none', configLines: ['lifecycle: { timeZone: Asia/Urumqi }'] });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await ws?.close();
  });

  it("is the signing day in lifecycle.timeZone, not always Beijing's", async () => {
    const signedAt = nextHalfPastFive(Date.now());
    try {
      vi.useFakeTimers({ toFake: ['Date'], now: signedAt });
      expect(await ws.issue()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
    const [file] = (readdirSync(ws.store, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'));
    const xml = readZip(readFileSync(join(ws.store, file as string)))
      .read('OFD.xml')
      .toString('utf8');
    const urumqiDay = new Date(signedAt.getTime() + 6 * HOUR).toISOString().slice(0, 10);
    expect(urumqiDay).not.toBe(new Date(signedAt.getTime() + 8 * HOUR).toISOString().slice(0, 10));
    expect(/<ofd:CreationDate>([^<]*)</.exec(xml)?.[1]).toBe(urumqiDay);
  });
});
