/**
 * `number` or `date` after `split` or `list` gets a list, which it does not read item by item. The
 * reason said 'date expects text, a number or a date' beside a column that plainly holds text
 * (`20210305,20220305`), and 'number expects text, got a list' without saying where a list came
 * from. It now says a step before it made a list and that the step reads one value.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

describe('number and date given a list', () => {
  it.each([
    ['{ split: "," }, number', '1,2', 'number'],
    ['list, number', '["1","2"]', 'number'],
    ['{ split: "," }, { date: [yyyyMMdd] }', '20210305,20220305', 'date'],
    ['list, { date: [yyyyMMdd] }', '["20210305"]', 'date'],
  ])('[%s] says a step before it made a list, naming file:line, field and column', (steps, text, step) => {
    const mapping = compileMappingText(
      `fields:\n  surface.x[]: { from: A, transform: [${steps}] }\n`,
      '/maps/m.yaml',
    );
    const out = mapping.map({ A: text });
    expect(!out.ok && out.reasons[0]).toMatchObject({
      code: 'LB_MAP_TYPE',
      path: 'surface.x[]',
      location: '/maps/m.yaml:2',
      column: 'A',
      message: `mapping: surface.x[]: ${step} got a list: a step before it (split, list) made one, and ${step} reads one value, not a list's items`,
    });
  });
});
