/**
 * The files of one (source, record path) read completely, kept in the generic connector state
 * (connectors/state-port.ts): scope = record path, key = file name, value = the file's size and SHA-256 as
 * JSON with a version, `{"v":1,"size":…,"sha256":"…"}`. The encoding is this connector's alone;
 * ledger migration 021 wrote the same form when it carried over the old `xml_files_read` rows.
 */
import type { ConnectorStatePort } from '../state-port.js';

/** A file read completely, as the connector recognises it again. */
export interface XmlFileFingerprint {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** The encoding's version: bump it, and decode the old one too, when the value's shape changes. */
export const FILE_STATE_VERSION = 1;

export function encodeFileState(file: XmlFileFingerprint): string {
  return JSON.stringify({ v: FILE_STATE_VERSION, size: file.size, sha256: file.sha256 });
}

/**
 * The fingerprint an entry holds, or null when the value is not one this release understands (a
 * newer release wrote it, or it is damaged). Null means "not recorded": the file is read again,
 * which is safe — a record no newer than the ledger's creates no version (order.ts) — where
 * trusting a value we cannot read could skip a file that was never read.
 */
export function decodeFileState(name: string, value: string): XmlFileFingerprint | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { v, size, sha256 } = parsed as { v?: unknown; size?: unknown; sha256?: unknown };
  if (v !== FILE_STATE_VERSION) return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { name, size, sha256 };
}

/** One source's files-read record for one record path. */
export class FilesRead {
  readonly #store: ConnectorStatePort;
  readonly #source: string;
  readonly #recordPath: string;

  constructor(store: ConnectorStatePort, source: string, recordPath: string) {
    this.#store = store;
    this.#source = source;
    this.#recordPath = recordPath;
  }

  /** The files recorded as read, by name. */
  async load(): Promise<Map<string, XmlFileFingerprint>> {
    const entries = await this.#store.stateEntries(this.#source, this.#recordPath);
    const files = new Map<string, XmlFileFingerprint>();
    for (const e of entries) {
      const file = decodeFileState(e.key, e.value);
      if (file) files.set(file.name, file);
    }
    return files;
  }

  /** Records a file as read completely; recording it again replaces its size and hash. */
  record(file: XmlFileFingerprint): Promise<void> {
    return this.#store.putStateEntry(this.#source, this.#recordPath, file.name, encodeFileState(file));
  }
}
