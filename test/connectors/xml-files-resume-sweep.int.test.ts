/**
 * Sequences of runs stopped after a committed page (xml-resume-runs.ts) drawn from seeds, for the
 * cases no one wrote out: in each round an export tool writes new files (their names sorting
 * anywhere: late exports) or writes files again (records appended, changed, dropped, reordered;
 * files deleted), a run reads and may stop after a page or two, and sometimes a file is then
 * written back as it was before the round (a change taken back, the export run again) and another
 * run follows. Whatever the sequence, once a run ends, the ledger holds every key's latest record.
 * The seeds are fixed: each run of the test replays the same sequences, and a failure prints its
 * steps. xml-files-resume-runs.test.ts holds the sequences each resume condition exists for.
 *
 * No service: an integration file for its length (a few seconds of reads of small folders).
 */
import { describe, expect, it } from 'vitest';
import { type Rec, replay, STREAMS, type Step } from './xml-resume-runs.js';

// Few keys and few update times: records of a key in several files, tying on equal cursors.
const CURSORS = [null, '2024-03-01 08:00:00', '2024-03-02 08:00:00'];
const KEYS = ['1', '2', '3'];
const NAMES = ['E001.xml', 'E002.xml', 'E003.xml', 'E004.xml', 'E005.xml'];
const ROUNDS = 4;
const SEEDS = 50;

/** A small linear congruential generator: the same seed, the same sequence. */
function generator(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

/** The steps of one seed's sequence. */
function sequenceOf(seed: number): Step[] {
  const { next, pick } = generator(seed);
  let made = 0;
  // Values of one width: a changed value often leaves the file's size as it was.
  const value = () => `v${String(++made).padStart(2, '0')}`;
  const record = (): Rec => ({ ID: pick(KEYS), GXSJ: pick(CURSORS), MC: value() });
  const folder = new Map<string, readonly Rec[]>();
  const steps: Step[] = [];
  const write = (name: string, records: readonly Rec[]) => {
    folder.set(name, records);
    steps.push({ write: name, records });
  };
  /** An export tool's change to the folder; the name of the file written, if one was. */
  const change = (): string | null => {
    const free = NAMES.filter((n) => !folder.has(n));
    if (free.length > 0 && (next() < 0.35 || folder.size === 0)) {
      const name = pick(free);
      write(name, Array.from({ length: 1 + Math.floor(next() * 3) }, record));
      return name;
    }
    if (folder.size === 0) return null;
    const name = pick([...folder.keys()]);
    const records = [...(folder.get(name) as Rec[])];
    const how = next();
    const at = Math.floor(next() * records.length);
    if (how < 0.25) records.push(record());
    // A changed value, its update time kept half the time (a date-only time, a key-only stream).
    else if (how < 0.6)
      records[at] = {
        ...(records[at] as Rec),
        MC: value(),
        ...(next() < 0.5 ? { GXSJ: pick(CURSORS) } : {}),
      };
    else if (how < 0.75 && records.length > 1) records.splice(at, 1);
    else if (how < 0.9) records.reverse();
    else {
      folder.delete(name);
      steps.push({ delete: name });
      return null;
    }
    write(name, records);
    return name;
  };
  const run = () => {
    const pageSize = 1 + Math.floor(next() * 2);
    steps.push(next() < 0.75 ? { run: pageSize, stop: 1 + Math.floor(next() * 2) } : { run: pageSize });
  };
  for (let round = 0; round < ROUNDS; round++) {
    const before = new Map(folder);
    const changed: string[] = [];
    for (let c = 1 + Math.floor(next() * 2); c > 0; c--) {
      const name = change();
      if (name) changed.push(name);
    }
    run();
    const name = changed.length > 0 && next() < 0.5 ? pick(changed) : null;
    const was = name === null ? undefined : before.get(name);
    if (name !== null && was) {
      write(name, was);
      run();
    }
  }
  return steps;
}

describe('xml-files: seeded sequences of runs stopped anywhere while the folder changes', () => {
  for (const [label, stream] of STREAMS) {
    it(`${label}: the ledger ends with every key's latest record`, async () => {
      const failures: string[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) {
        for (const problem of await replay(stream, sequenceOf(seed)))
          failures.push(`seed ${seed}: ${problem}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
