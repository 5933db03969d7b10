/**
 * `run --full` reads every file again. Its extract job retried after committing pages (a worker
 * crashed, or lost the job's lock) goes on from the run's checkpoint, as a plain run resumes
 * (pipelines/stages/extract.ts): the files-read record then made it skip every file after the
 * checkpoint's that an earlier run had recorded, those the full run was to read again. A full read
 * keeps its own mark in the record until it reaches the folder's end: a read resumed before then
 * skips only the files that read recorded.
 */
import { describe, expect, it } from 'vitest';
import { harness, type Rec, STREAMS } from './xml-resume-runs.js';

/** A pipeline reads (pipelines/runtime.ts); a connector read on its own keeps the source's record. */
const reader = { pipeline: 'food-business-licenses', shared: false };
const DAY = '2024-03-01 00:00:00';
const rec = (ID: string, MC: string): Rec => ({ ID, GXSJ: DAY, MC });

describe('xml-files: a full read resumed after a crash', () => {
  for (const [label, stream] of STREAMS) {
    it(`${label}: reads the files after its checkpoint that earlier runs recorded`, async () => {
      const t = harness(stream);
      try {
        await t.apply({ write: 'E001.xml', records: [rec('1', 'a')] });
        await t.apply({ write: 'E002.xml', records: [rec('2', 'b')] });
        await t.apply({ write: 'E003.xml', records: [rec('3', 'c'), rec('4', 'd')] });
        await t.apply({ run: 10, reader });
        // The full read: one page committed, then a crash; the retry resumes from its checkpoint.
        await t.apply({ run: 1, stop: 1, full: true, reader });
        expect(t.read).toEqual(['1']);
        await t.apply({ run: 1, stop: 2, reader });
        expect(t.read).toEqual(['2', '3']);
        await t.apply({ run: 1, reader });
        expect(t.read).toEqual(['4']);
        // Read to the end, the full read is over: the next run skips what is recorded.
        await t.apply({ run: 10, reader });
        expect(t.read).toEqual([]);
        expect(await t.problems()).toEqual([]);
      } finally {
        await t.done();
      }
    });

    it(`${label}: a plain run after a full read that reached the end skips the files recorded`, async () => {
      const t = harness(stream);
      try {
        await t.apply({ write: 'E001.xml', records: [rec('1', 'a')] });
        await t.apply({ write: 'E002.xml', records: [rec('2', 'b')] });
        await t.apply({ run: 10, full: true, reader });
        expect(t.read).toEqual(['1', '2']);
        await t.apply({ write: 'E003.xml', records: [rec('3', 'c')] });
        await t.apply({ run: 10, reader });
        expect(t.read).toEqual(['3']);
      } finally {
        await t.done();
      }
    });
  }
});
