/**
 * Where a stream resumes: the (cursor, key) pair of the last row of the last committed page, at
 * the source database's own precision, serialised as text. `cursor` is null for key-only streams.
 * Connectors produce it and the ledger stores it, so it lives below both.
 */
export interface Checkpoint {
  cursor: string | null;
  key: string;
}
