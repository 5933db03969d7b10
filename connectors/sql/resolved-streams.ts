/**
 * The streams a SQL source (sql-source.ts) reads, each resolved once for the source's life: a table
 * stream against the catalog, a query stream from its text (resolve-stream.ts) and its cursor by the
 * type the database gives it (query-cursor.ts), then checked and
 * prepared as every read of it needs: a cursor no index leads (cursor-index.ts), the key column's
 * notes (key-column-notes.ts), the dialect's own preparation (prepare-stream.ts), a collation blind
 * to case (case-blind-keys.ts), and for a table the dialect's in-database fingerprint. The reads of
 * one stream share one resolution; a failed one is not kept.
 */
import type { Knex } from 'knex';
import type { Logger } from '../../core/logger.js';
import type { SqlFamily } from '../kind-spec.js';
import type { StreamSpec } from '../source.js';
import { CaseBlindKeys } from './case-blind-keys.js';
import { SlowPageWarnings } from './cursor-index.js';
import type { SqlDialect } from './dialect.js';
import type { KeyColumnNotes } from './key-column-notes.js';
import type { ResolvedStream } from './keyset.js';
import { prepareStream } from './prepare-stream.js';
import { checkQueryCursor } from './query-cursor.js';
import { resolveQueryStream, resolveStream } from './resolve-stream.js';
import type { SourceCalls } from './source-calls.js';
import type { SqlReader } from './sql-reader.js';

/** What resolving a source's streams takes of the source. */
export interface StreamSource {
  name: string;
  db: Knex;
  dialect: SqlDialect;
  /** The grammar query streams are checked with (the kind's spec, connectors/kinds.ts). */
  sqlFamily: SqlFamily;
  /** The source's `lagMs`, for a stream that sets none. */
  lagMs: number;
  /** Every database call, its errors mapped (source-calls.ts). */
  calls: SourceCalls;
  /** The source's reads in a read transaction, for the dialect's preparation (prepare-stream.ts). */
  reader: SqlReader;
  keyNotes: KeyColumnNotes;
  logger: () => Logger;
  /** The decoding settings every fingerprint starts with (fingerprint.ts `decodingPrefix`). */
  fingerprintPrefix: string;
}

export class ResolvedStreams {
  private readonly resolved = new Map<string, Promise<ResolvedStream>>();
  private readonly slowPages: SlowPageWarnings;
  private readonly caseBlindKeys: CaseBlindKeys;

  constructor(private readonly source: StreamSource) {
    const { name, dialect, db, calls } = source;
    this.slowPages = new SlowPageWarnings(name, source.logger);
    this.caseBlindKeys = new CaseBlindKeys(name, dialect, () =>
      calls.run(() => dialect.caseBlindText?.(db) ?? Promise.resolve(false), true),
    );
  }

  resolve(stream: StreamSpec): Promise<ResolvedStream> {
    const { name, db, dialect, sqlFamily, lagMs, calls, reader, keyNotes } = this.source;
    const id = JSON.stringify([
      stream.table,
      stream.key,
      stream.cursor ?? null,
      stream.query ?? null,
      stream.params ?? null,
      stream.lagMs ?? null,
      stream.keyUnique === true,
    ]);
    let found = this.resolved.get(id);
    if (!found) {
      const declared = (r: ResolvedStream): ResolvedStream =>
        stream.keyUnique ? { ...r, keyUnique: true } : r;
      found =
        stream.query !== undefined
          ? Promise.resolve()
              .then(() => {
                const r = declared(
                  resolveQueryStream(name, stream, lagMs, sqlFamily, dialect.lagBound !== undefined),
                );
                keyNotes.check(r);
                return r;
              })
              .then((r) => checkQueryCursor(calls, reader, sqlFamily, r))
          : calls
              .run(() => resolveStream(db, dialect, name, stream, lagMs), true)
              .then((resolved) => {
                const r = declared(resolved);
                this.slowPages.check(r);
                keyNotes.check(r);
                return this.withFingerprint(r);
              });
      found = found.then((r) => prepareStream(calls, reader, sqlFamily, r));
      found = found.then((r) => this.caseBlindKeys.check(r));
      // A failed check is not cached: the engineer may fix the table and retry in the same process.
      found.catch(() => this.resolved.delete(id));
      this.resolved.set(id, found);
    }
    return found;
  }

  /** Table streams select the dialect's in-database fingerprint with every page, where it has one. */
  private withFingerprint(s: ResolvedStream): ResolvedStream {
    const fp = this.source.dialect.rowFingerprint;
    if (!fp || s.query || s.columns.length === 0) return s;
    return { ...s, fingerprint: fp(this.source.db, s.columns, this.source.fingerprintPrefix) };
  }
}
