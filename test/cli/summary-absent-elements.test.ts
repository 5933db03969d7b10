/**
 * A run whose export files left out an element the config names (read as null, not quarantined)
 * says so in its summary, table and JSON alike, with the element names and no value; a run
 * without such files prints as before.
 */
import { describe, expect, it } from 'vitest';
import { summaryJson, summaryTable } from '../../cli/summary.js';
import type { RunSummary } from '../../pipelines/run-pipelines.js';

function run(extra: Partial<RunSummary> = {}): RunSummary {
  return {
    pipeline: 'food-business-licenses',
    runId: 'r1',
    state: 'done',
    read: 3,
    created: 3,
    unchanged: 0,
    quarantined: 0,
    signed: 3,
    delivered: { province: 3 },
    deadLettered: { province: 0 },
    ...extra,
  };
}

describe('run summary: elements the export files left out', () => {
  const absentElements = { files: 2, elements: ['UpdTime', 'JYXM'] };

  it('the table names the count of files and the elements', () => {
    const table = summaryTable([run({ absentElements })]);
    expect(table).toContain(
      '  warning: 2 files read with `UpdTime`, `JYXM` in no record, null in their rows (LB_SOURCE_ELEMENT_ABSENT; the log names the files)\n',
    );
    expect(summaryTable([run({ absentElements: { files: 1, elements: ['UpdTime'] } })])).toContain(
      'warning: 1 file read with `UpdTime` in no record',
    );
  });

  it('past 50 names, the line shows the first 50 and says how many more there are', () => {
    const elements = Array.from({ length: 57 }, (_, i) => `F${i}`);
    const line = summaryTable([run({ absentElements: { files: 3, elements } })]);
    expect(line).toContain('`F0`, `F1`');
    expect(line).toContain('`F49` and 7 more in no record');
    expect(line).not.toContain('`F50`');
    const fifty = summaryTable([run({ absentElements: { files: 3, elements: elements.slice(0, 50) } })]);
    expect(fifty).toContain('`F49` in no record');
    expect(fifty).not.toContain('more');
  });

  it('the JSON carries them beside the other counts', () => {
    const json = JSON.parse(summaryJson([run({ absentElements })])) as { runs: Record<string, unknown>[] };
    expect(json.runs[0]?.absentElements).toEqual(absentElements);
  });

  it('a run without such files prints as before', () => {
    for (const r of [run(), run({ absentElements: { files: 0, elements: [] } })]) {
      expect(summaryTable([r])).not.toContain('warning');
      const json = JSON.parse(summaryJson([r])) as { runs: Record<string, unknown>[] };
      expect(json.runs[0]).not.toHaveProperty('absentElements');
    }
  });
});
