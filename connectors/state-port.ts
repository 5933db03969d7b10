/**
 * The store of connector state the ledger offers every source kind (ledger/connector-state.ts):
 * entries of opaque text keyed by (source, scope, key), whose encoding and version each connector
 * owns. Connectors do not import the ledger, so the pipeline hands the port over when it opens a
 * source; a kind that keeps no state ignores it.
 */
export interface ConnectorStatePort {
  stateEntries(source: string, scope: string): Promise<readonly { key: string; value: string }[]>;
  putStateEntry(source: string, scope: string, key: string, value: string): Promise<void>;
}
