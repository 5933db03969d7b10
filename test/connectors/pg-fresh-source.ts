/**
 * A postgres source on a fresh database of the test PostgreSQL server, for a file whose tests read
 * the rows it writes: the database made and set up by `setup` and the source opened before the
 * file's tests (a quiet logger unless `options` names one), the source closed and the database
 * dropped after them. It registers its hooks where it is called, as fresh-engines.ts does; what it
 * returns is filled in once they ran, so tests and later hooks read `fresh` and `source` from it.
 */
import { afterAll, beforeAll } from 'vitest';
import type { OpenSourceOptions } from '../../connectors/kind-spec.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

export interface PgSourceOnFresh {
  fresh: FreshPg;
  source: SourceConnector;
}

export function freshPgSource(
  setup: (fresh: FreshPg) => Promise<void>,
  options: OpenSourceOptions = {},
): PgSourceOnFresh {
  const made: Partial<PgSourceOnFresh> = {};
  beforeAll(async () => {
    made.fresh = await createPgDatabase();
    await setup(made.fresh);
    made.source = await openSource('legacy', pgFamilyConfig('postgres', made.fresh.database), {
      logger: quiet,
      ...options,
    });
  });
  afterAll(async () => {
    await made.source?.close();
    await made.fresh?.drop();
  });
  return made as PgSourceOnFresh;
}
