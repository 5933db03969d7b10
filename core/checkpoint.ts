/**
 * Where a stream resumes: opaque text written by the connector that read the stream, and read
 * back only by it — JSON carrying that connector's own format version `v` (a connector refuses a
 * version it does not know, naming it). The ledger stores it in the same transaction as the page
 * that reached it, and pipelines pass it along unread, so it lives below both.
 */
export type Checkpoint = string;

/**
 * A keyset position: the (cursor, key) of the last row of a page, at the source's own precision,
 * as text; `cursor` is null for key-only streams. What the SQL and XML connectors keep inside
 * their checkpoints (connectors/key-position.ts).
 */
export interface KeyPosition {
  cursor: string | null;
  key: string;
}
