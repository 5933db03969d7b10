/**
 * `lagMs` written for a SQLite source — on the source, or on the stream of a pipeline reading it —
 * was accepted and applied nowhere: SQLite has no lag bound. `config check` now names the line,
 * as a run refuses the stream (connectors/sql/resolve-stream.ts); `lagMs: 0` and a server
 * database's lagMs pass.
 */
import { describe, expect, it } from 'vitest';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { demoPipelineCheck } from './demo-pipeline-check.js';

await usePrebuiltConfigValidator();

const { problemsWith } = demoPipelineCheck('config-check-sqlite-lag-');
/** The demo's food pipeline reading `source` (a YAML flow map) with `stream` extras. */
const check = (source: string, streamExtra = '') => problemsWith({ source, streamExtra });

const SQLITE = 'kind: sqlite, path: ./legacy.db';
const POSTGRES = 'kind: postgres, connection: { host: 127.0.0.1, database: spxk }';

describe('config check: lagMs on a SQLite source', () => {
  it("names the source's lagMs at its line", async () => {
    expect(await check(`{ ${SQLITE}, lagMs: 5000 }`)).toEqual([
      expect.objectContaining({
        line: 4,
        path: 'sources.market-food.lagMs',
        message:
          'lagMs is not applied on SQLite: a SQLite source has no database clock to hold recent rows back by (its dates are text as the application wrote them), and a run refuses each stream with a cursor under it; remove it or set lagMs: 0',
      }),
    ]);
  });

  it("names a stream's lagMs at its line", async () => {
    expect(await check(`{ ${SQLITE} }`, ', lagMs: 5000')).toEqual([
      expect.objectContaining({
        line: 8,
        path: 'pipelines.food-business-licenses.stream.lagMs',
        message: expect.stringMatching(
          /^lagMs is not applied on SQLite: source market-food is a SQLite source, which has no database clock/,
        ),
      }),
    ]);
  });

  it('passes lagMs: 0', async () => {
    expect(await check(`{ ${SQLITE}, lagMs: 0 }`, ', lagMs: 0')).toEqual([]);
  });

  it("passes a server database's lagMs", async () => {
    expect(await check(`{ ${POSTGRES}, lagMs: 5000 }`, ', lagMs: 10000')).toEqual([]);
  });
});
