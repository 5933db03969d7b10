/**
 * `config check` looks each mapped face field up in its catalog entry. A list path
 * (`surface.businessItems[]`, `surface.items[].name`, docs/mapping-language.md) was looked up with
 * its `[]`, as a field named `businessItems[]`, and refused: the check failed a mapping that
 * `preview` and `run` map cleanly. The list's own name is looked up, and a path into its items in
 * the entry's `items` schema.
 */
import { describe, expect, it } from 'vitest';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { demoPipelineCheck } from './demo-pipeline-check.js';

await usePrebuiltConfigValidator();

const { problemsWith: check } = demoPipelineCheck('config-check-list-path-');

describe('config check: list paths', () => {
  it('accepts a list field written with []', async () => {
    const problems = await check({
      mapping: (demo) => demo.replace('  surface.businessItems:\n', '  surface.businessItems[]:\n'),
    });
    expect(problems).toEqual([]);
  });

  it('still names a list field the entry does not have', async () => {
    const problems = await check({
      mapping: (demo) =>
        demo.replace('  surface.premises:', '  surface.businessItem[]: { from: JYXM }\n  surface.premises:'),
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        '`surface.businessItem[]` is not a field of license type 11370200MB12345674001',
      ),
    ]);
    expect(problems[0]?.message).toContain('`businessItem` is not among its fields');
  });

  it('names a field written with [] that the entry does not hold as a list', async () => {
    // premises is text: a list of it fails the catalog on every row.
    const problems = await check({
      mapping: (demo) =>
        demo.replace('  surface.premises: { from: JYCS,', '  surface.premises[]: { from: JYCS,'),
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('`surface.premises[]` is not a field of license type 11370200MB12345674001'),
    ]);
    expect(problems[0]?.message).toContain('`premises` is not a list');
  });
});
