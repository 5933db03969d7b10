// A command run in process (test/support/cli-in-process.ts) starts with every licbridge module
// evaluated anew, except the compiled License validators (catalog/validator-cache.ts), which the
// next run reuses as a long-running worker would: compiling them was ~0.1 s of CPU in each
// command that loads the catalog. The verdicts stay the same run after run.
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOG_ENTRY_SCHEMA } from '../../catalog/license-schema.js';
import { licbridge, ROOT } from '../support/cli.js';

// The first run compiles, as in a fresh process: not from the cache the unit files of a worker
// share (test/support/shared-validators.ts).
vi.unmock('../../catalog/validator-cache.js');

const MAPPINGS = join(ROOT, 'examples', 'west-coast', 'mappings');

describe('licbridge in process: compiled License validators kept between runs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('compiles fewer schemas in a second run, and both runs pass the same tests', async () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const first = await licbridge(['test', MAPPINGS]);
    const firstCompiles = compile.mock.calls.length;
    compile.mockClear();
    const second = await licbridge(['test', MAPPINGS]);
    expect(first.status).toBe(0);
    expect(second).toEqual(first);
    expect(firstCompiles).toBeGreaterThan(0);
    expect(compile.mock.calls.length).toBeLessThan(firstCompiles);
    // The catalog entry schema (catalog/catalog.ts) goes through the same cache.
    const entry = JSON.stringify(CATALOG_ENTRY_SCHEMA);
    expect(compile.mock.calls.filter(([schema]) => JSON.stringify(schema) === entry)).toEqual([]);
  });
});
