/**
 * What the xml-files connector needs from the store of connector state: the generic state port
 * the ledger offers every connector (ledger/connector-state.ts), entries of opaque text keyed by
 * (source, scope, key). Connectors do not import the ledger, so the pipeline hands it over when it
 * opens the source; files-read.ts is this connector's view of it.
 */
export interface XmlFileFingerprint {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** The state port, as far as this connector uses it. */
export interface XmlFileLedger {
  stateEntries(source: string, scope: string): Promise<readonly { key: string; value: string }[]>;
  putStateEntry(source: string, scope: string, key: string, value: string): Promise<void>;
}
