/**
 * What the xml-files connector needs from a store of files already read. The ledger (see
 * ledger/xml-files-read.ts) has these methods; connectors do not import the ledger, so the
 * pipeline hands it over when it opens the source.
 */
export interface XmlFileFingerprint {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface XmlFileLedger {
  xmlFilesRead(source: string, recordPath: string): Promise<readonly XmlFileFingerprint[]>;
  recordXmlFileRead(source: string, recordPath: string, file: XmlFileFingerprint): Promise<void>;
}
