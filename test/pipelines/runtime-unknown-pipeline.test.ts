/**
 * A worker's job names its pipeline; one the config no longer holds is refused naming it, and the
 * refusal is recorded as the run's error. The name is shown inert, as other commands show it: a
 * job's name holding an escape sequence does not carry it into a log or a terminal.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';

describe('Runtime.pipelineConfig of a pipeline not configured', () => {
  const runtime = new Runtime(
    { pipelines: {} } as unknown as Readonly<Config>,
    createLogger({ level: 'silent' }),
  );

  it.each([
    ['retired', 'retired'],
    ['re\u001b]0;x\u0007tired\n', 'retired'],
  ])('%j is refused as `%s`', (name, shown) => {
    expect(() => runtime.pipelineConfig(name)).toThrow(
      `pipeline: unknown pipeline \`${shown}\` (defined: none)`,
    );
  });
});
