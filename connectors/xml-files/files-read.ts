/**
 * The files of one (source, record path) a pipeline read completely, kept in the generic connector
 * state (connectors/state-port.ts): key = file name, value = the file's size and SHA-256 as JSON
 * with a version, `{"v":1,"size":…,"sha256":"…"}`; scope = `["<record path>","<pipeline>"]` (JSON),
 * one record per pipeline — two pipelines on one folder each read every file once, where a record
 * shared by the source made the second skip whatever the first had read.
 *
 * Scope = the bare record path is the record kept for the whole source: what ledgers hold from
 * before records were per pipeline (ledger migration 021 wrote it from the old `xml_files_read`
 * rows), and what a read without a pipeline keeps. Such a record says "some pipeline on this
 * source read the file", not which: a pipeline alone on its source takes it as its own (copied
 * into its record once, so a pipeline added later does not change that), and pipelines sharing a
 * source ignore it — each reads again what its own record lacks, which creates no version for a
 * record the ledger holds (order.ts) and brings back any file the shared record made one skip.
 * The encodings are this connector's alone.
 */
import { randomUUID } from 'node:crypto';
import type { SourceReader } from '../source.js';
import type { ConnectorStatePort } from '../state-port.js';
import type { FilePosition } from './position.js';

/** A file read completely, as the connector recognises it again. */
export interface XmlFileFingerprint {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
  /** The read from the start that recorded the file, or a run's resuming it (fullReadOf). */
  read?: string;
}

/** The encoding's version: bump it, and decode the old one too, when the value's shape changes. */
export const FILE_STATE_VERSION = 1;

export function encodeFileState(file: XmlFileFingerprint): string {
  const read = file.read === undefined ? {} : { read: file.read };
  return JSON.stringify({ v: FILE_STATE_VERSION, size: file.size, sha256: file.sha256, ...read });
}

/**
 * The read from the start a read belongs to: a new one for a pipeline's read from the start over
 * a record that holds files (`marks`: a `run --full`), which its pages' checkpoints carry
 * (position.ts) and each file it records too; the one the checkpoint names for a resumed read;
 * else none (a first run, a connector read on its own, whose record is the whole source's). A full run's
 * extract job retried after it committed pages resumes from its checkpoint (pipelines/stages/
 * extract.ts): skipping every file recorded, those recorded before it began too, it read again
 * only the files up to its checkpoint. Runs after it go on under its id, so a resume never skips
 * a file that neither it nor they recorded.
 */
export function fullReadOf(after: FilePosition | null, marks: boolean): string | null {
  if (after) return after.fullRead ?? null;
  return marks ? randomUUID() : null;
}

/** The files a read skips as read: none from the start; resuming, those its full read recorded. */
export function skippedFiles(
  recorded: ReadonlyMap<string, XmlFileFingerprint>,
  after: FilePosition | null,
): Map<string, XmlFileFingerprint> {
  if (!after) return new Map();
  const read = after.fullRead;
  return new Map([...recorded].filter(([, file]) => read === undefined || file.read === read));
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
  const { v, size, sha256, read } = parsed as {
    v?: unknown;
    size?: unknown;
    sha256?: unknown;
    read?: unknown;
  };
  if (v !== FILE_STATE_VERSION) return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return typeof read === 'string' ? { name, size, sha256, read } : { name, size, sha256 };
}

/** The state scope of a pipeline's record: a record path never starts with `[` (no XML name does). */
export function pipelineScope(recordPath: string, pipeline: string): string {
  return JSON.stringify([recordPath, pipeline]);
}

/** The files-read record of one source and record path: a pipeline's own, or the whole source's. */
export class FilesRead {
  readonly #store: ConnectorStatePort;
  readonly #source: string;
  readonly #recordPath: string;
  readonly #reader: SourceReader | null;
  readonly #scope: string;
  /** The read from the start the files recorded from now on carry (fullReadOf). */
  #read: string | null = null;

  /** Without `reader`, the record kept for the whole source (a connector used on its own). */
  constructor(
    store: ConnectorStatePort,
    source: string,
    recordPath: string,
    reader: SourceReader | null = null,
  ) {
    this.#store = store;
    this.#source = source;
    this.#recordPath = recordPath;
    this.#reader = reader;
    this.#scope = reader ? pipelineScope(recordPath, reader.pipeline) : recordPath;
  }

  /** The files recorded as read, by name. */
  async load(): Promise<Map<string, XmlFileFingerprint>> {
    const { files, names } = await this.#entries(this.#scope);
    if (!this.#reader || this.#reader.shared) return files;
    // Alone on its source: the source's record is this pipeline's (see the head of this file). It
    // is copied into the pipeline's record, its own entry winning — also one that is no record
    // (`reading`) — so a second pipeline configured later does not make this one read those files
    // again.
    for (const [name, file] of (await this.#entries(this.#recordPath)).files) {
      if (names.has(name)) continue;
      await this.record(file);
      files.set(name, file);
    }
    return files;
  }

  /** The files recorded from now on carry `read` (fullReadOf). */
  readAs(read: string | null): void {
    this.#read = read;
  }

  /** Records a file as read completely; recording it again replaces its size and hash. */
  record(file: XmlFileFingerprint): Promise<void> {
    const { read: _, ...own } = file;
    const entry = this.#read === null ? own : { ...own, read: this.#read };
    return this.#store.putStateEntry(this.#source, this.#scope, file.name, encodeFileState(entry));
  }

  /**
   * Replaces the record of a file about to be read in another content than the one recorded by
   * an entry that is no record (`{"v":1,"reading":"<sha256>"}`), until `record` writes the new
   * one. Pages of the new content are committed one by one: were the run to stop among them and
   * the file be written again as recorded (a change taken back, the export run again), the old
   * record would match and the file be skipped, the ledger keeping records of the content that
   * is gone, where a run that had not stopped reads the file again (order.ts: its records tie
   * with those, and their content decides).
   */
  reading(file: XmlFileFingerprint): Promise<void> {
    const value = JSON.stringify({ v: FILE_STATE_VERSION, reading: file.sha256 });
    return this.#store.putStateEntry(this.#source, this.#scope, file.name, value);
  }

  async #entries(scope: string): Promise<{ files: Map<string, XmlFileFingerprint>; names: Set<string> }> {
    const files = new Map<string, XmlFileFingerprint>();
    const names = new Set<string>();
    for (const e of await this.#store.stateEntries(this.#source, scope)) {
      names.add(e.key);
      const file = decodeFileState(e.key, e.value);
      if (file) files.set(file.name, file);
    }
    return { files, names };
  }
}
