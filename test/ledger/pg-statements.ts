/**
 * Records the SQL texts node-postgres is asked to run, for tests that count a ledger's statements.
 * {@link recordPgStatements} is installed before the ledger opens: its connections keep the `query`
 * they found when made (ledger/pg-timeouts.ts); {@link stopRecordingPgStatements} puts it back.
 */
import pg from 'pg';

const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
const originalQuery = proto.query;
let recording: string[] | null = null;

export function recordPgStatements(): void {
  proto.query = function recorded(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    recording?.push(typeof first === 'string' ? first : (first?.text ?? ''));
    return originalQuery.apply(this, args);
  };
}

export function stopRecordingPgStatements(): void {
  proto.query = originalQuery;
}

/** The SQL texts run while `body` runs, and what it returned. */
export async function statementsOf<T>(body: () => Promise<T>): Promise<{ texts: string[]; result: T }> {
  const texts: string[] = [];
  recording = texts;
  try {
    return { texts, result: await body() };
  } finally {
    recording = null;
  }
}
