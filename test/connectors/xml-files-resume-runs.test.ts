/**
 * Runs stopped after a committed page and resumed from their checkpoint while the export folder
 * changes between them (xml-resume-runs.ts): once a run ends, the ledger holds every key's latest
 * record, as a run that never stopped would. Each sequence here is one a resume condition of the
 * connector exists for, written out, for both a stream with a cursor and a key-only one (equal
 * cursors tie as key-only streams do); xml-files-resume-sweep.int.test.ts draws many more from seeds.
 */
import { describe, expect, it } from 'vitest';
import { decodeKeyPosition, encodeKeyPosition } from '../../connectors/key-position.js';
import { harness, replay, STREAMS, type Step } from './xml-resume-runs.js';

const DAY = '2024-03-01 00:00:00';
const NEXT_DAY = '2024-03-02 00:00:00';
/** An export and the same export with every value changed, the file's size kept. */
const FIRST = [
  { ID: '1', GXSJ: DAY, MC: 'a' },
  { ID: '2', GXSJ: DAY, MC: 'b' },
];
const CHANGED = [
  { ID: '1', GXSJ: DAY, MC: 'x' },
  { ID: '2', GXSJ: DAY, MC: 'y' },
];

/** The sequences, by what they stop a run inside of and change before the next. */
const SEQUENCES: [string, Step[]][] = [
  [
    // A record appended and read, the append then taken back: the file's record names the
    // content the run stopped inside again, and the appended record is no longer the latest.
    'a file read, a record appended, read, and the append taken back',
    [
      {
        write: 'E003.xml',
        records: [
          { ID: '2', GXSJ: DAY, MC: 'v5' },
          { ID: '3', MC: 'v6' },
        ],
      },
      { run: 10 },
      {
        write: 'E003.xml',
        records: [
          { ID: '2', GXSJ: DAY, MC: 'v5' },
          { ID: '3', MC: 'v6' },
          { ID: '2', GXSJ: DAY, MC: 'v8' },
        ],
      },
      { run: 2, stop: 1 },
      {
        write: 'E003.xml',
        records: [
          { ID: '2', GXSJ: DAY, MC: 'v5' },
          { ID: '3', MC: 'v6' },
        ],
      },
    ],
  ],
  [
    // The checkpoint's index points into the content it was read from, not into this one.
    'a file rewritten after a run stopped inside it, before the checkpoint',
    [
      { write: 'E001.xml', records: [...FIRST, { ID: '3', GXSJ: DAY, MC: 'c' }] },
      { run: 1, stop: 2 },
      { write: 'E001.xml', records: [...CHANGED, { ID: '3', GXSJ: DAY, MC: 'c' }] },
    ],
  ],
  [
    // E001's record of key 1 was passed over for E002's, which is gone when the run resumes.
    'a run stopped inside a file whose record was passed over for a later file, that file rewritten',
    [
      {
        write: 'E001.xml',
        records: [
          { ID: '1', GXSJ: DAY, MC: 'a' },
          { ID: '2', GXSJ: DAY, MC: 'b' },
        ],
      },
      { write: 'E002.xml', records: [{ ID: '1', GXSJ: NEXT_DAY, MC: 'n' }] },
      { run: 1, stop: 1 },
      { write: 'E002.xml', records: [{ ID: '3', GXSJ: NEXT_DAY, MC: 'm' }] },
    ],
  ],
  [
    // E001 is read to its end, but is recorded only once E003, which holds key 1's newer record,
    // was read as it was then: the run stops before, and E003 drops it.
    'a run stopped after a file whose record was passed over, before the later file',
    [
      {
        write: 'E001.xml',
        records: [
          { ID: '1', GXSJ: DAY, MC: 'a' },
          { ID: '2', GXSJ: DAY, MC: 'b' },
        ],
      },
      { write: 'E002.xml', records: [{ ID: '3', GXSJ: DAY, MC: 'c' }] },
      { write: 'E003.xml', records: [{ ID: '1', GXSJ: NEXT_DAY, MC: 'n' }] },
      { run: 1, stop: 2 },
      { write: 'E003.xml', records: [{ ID: '4', GXSJ: NEXT_DAY, MC: 'm' }] },
    ],
  ],
  [
    // `run --full` reads every file again, a changed one as any run does.
    'run --full stopped inside a file read in another content, the file then written back',
    [
      { write: 'E001.xml', records: FIRST },
      { run: 10 },
      { write: 'E001.xml', records: CHANGED },
      { run: 1, stop: 1, full: true },
      { write: 'E001.xml', records: FIRST },
    ],
  ],
  [
    // The ledger's record kept for the whole source (before records were kept per pipeline, and
    // what a read without a pipeline keeps) is a pipeline's own when it alone reads the source.
    'a source-wide record, then the one pipeline stopped inside another content, written back',
    [
      { write: 'E001.xml', records: FIRST },
      { run: 10 },
      { write: 'E001.xml', records: CHANGED },
      { run: 1, stop: 1, reader: { pipeline: 'food', shared: false } },
      { write: 'E001.xml', records: FIRST },
      { run: 10, reader: { pipeline: 'food', shared: false } },
    ],
  ],
];

describe('xml-files: runs stopped and resumed while the folder changes', () => {
  for (const [label, stream] of STREAMS) {
    // The same end whether the run reading the changed content stopped inside it or not.
    for (const stopped of [false, true]) {
      it(`${label}: a file written again as it was recorded read, after a run ${stopped ? 'stopped inside' : 'read'} another content of it, is read again`, async () => {
        const t = harness(stream);
        try {
          await t.apply({ write: 'E001.xml', records: FIRST });
          await t.apply({ run: 10 });
          // The export is written again with a change, and the run reading it may stop after a page.
          await t.apply({ write: 'E001.xml', records: CHANGED });
          await t.apply(stopped ? { run: 1, stop: 1 } : { run: 1 });
          expect(t.held()).toEqual(stopped ? { 1: 'x', 2: 'b' } : { 1: 'x', 2: 'y' });
          // The change is taken back at the source and the export written again as it first was.
          await t.apply({ write: 'E001.xml', records: FIRST });
          await t.apply({ run: 10 });
          expect(t.held()).toEqual({ 1: 'a', 2: 'b' });
        } finally {
          await t.done();
        }
      });
    }

    for (const [what, steps] of SEQUENCES) {
      it(`${label}: ${what}`, async () => {
        expect(await replay(stream, steps)).toEqual([]);
      });
    }

    it(`${label}: run --full reads every file again, those recorded as read too`, async () => {
      const t = harness(stream);
      try {
        await t.apply({ write: 'E001.xml', records: FIRST });
        await t.apply({ write: 'E002.xml', records: [{ ID: '3', GXSJ: DAY, MC: 'c' }] });
        await t.apply({ run: 10 });
        await t.apply({ run: 10 });
        expect(t.read).toEqual([]);
        await t.apply({ run: 10, full: true });
        expect(t.read).toEqual(['1', '2', '3']);
      } finally {
        await t.done();
      }
    });

    it(`${label}: a checkpoint kept before the file's SHA-256 was, in a file since read whole and changed`, async () => {
      const t = harness(stream);
      try {
        await t.apply({ write: 'E001.xml', records: FIRST });
        await t.apply({ run: 10 });
        // The checkpoint as an older release wrote it: (file, index, key or cursor), no SHA-256.
        const pair = decodeKeyPosition(t.checkpoint as string, 'food');
        const half = (text: string | null) =>
          text?.startsWith('[') ? JSON.stringify(JSON.parse(text).slice(0, 3)) : text;
        t.checkpoint = encodeKeyPosition({ cursor: half(pair.cursor), key: half(pair.key) as string });
        await t.apply({ write: 'E001.xml', records: [...CHANGED, { ID: '3', GXSJ: DAY, MC: 'c' }] });
        await t.apply({ run: 10 });
        expect(await t.problems()).toEqual([]);
        expect(t.held()).toEqual({ 1: 'x', 2: 'y', 3: 'c' });
      } finally {
        await t.done();
      }
    });
  }
});
