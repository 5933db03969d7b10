/**
 * The xml-files `SourceConnector`: a folder of export files read in file-name order, each file's
 * records in document order; a page never spans two files. The checkpoint is the (file, record
 * index) of a page's last record (see position.ts); with the connector state store attached, a
 * file read completely is recorded (name, size, SHA-256; files-read.ts) in the reading pipeline's
 * record once every page holding its records was committed, and that pipeline's later reads skip it.
 */
import { describeValue, ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import { compileRepair, type RowRepair } from '../repair/repair.js';
import type {
  AbsentElementsWarning,
  DiscoverOptions,
  Page,
  ReadOptions,
  SourceConnector,
  SourceRow,
  StreamSpec,
  TableInfo,
} from '../source.js';
import { suggestion } from '../sql/close-matches.js';
import { inReadWindow, type ReadWindow, RowRate, sleep } from '../sql/gentle.js';
import type { ConnectorStatePort } from '../state-port.js';
import { absentWarning, warnAbsent, warnBeside } from './absent-warnings.js';
import type { AbsentElement } from './carried.js';
import { ExportFolder, type LoadedFile, type XmlFilesOptions } from './export-folder.js';
import { carriedIn, checkFields, checkFieldsIn, checkListsOfStream, resolveTable } from './field-checks.js';
import { checkFolder } from './files.js';
import type { XmlFileFingerprint } from './files-read.js';
import { FilesRead, fullReadOf, skippedFiles } from './files-read.js';
import { RecordProfile } from './infer.js';
import { compareEncodedOrders, compareFileNames, compareRecordOrders, type RecordOrder } from './order.js';
import { PageBuilder } from './page-builder.js';
import { decodePosition } from './position.js';
import { blankRow, compareKeys, recordCursor, recordKey, toRow } from './record-rows.js';
import { type WrittenFile, WrittenOrderCheck, warnWrittenOrder } from './written-order.js';

/**
 * Being gentle with the department's file share, as with a database (../sql/gentle.ts): read only
 * inside `window`, no faster than `maxRowsPerSecond`. Both act between pages.
 */
export interface XmlReadPace {
  window?: ReadWindow;
  maxRowsPerSecond?: number;
  /** The host's clock, for the read window. @defaultValue `() => new Date()` */
  clock?: () => Date;
}

const MAX_PAGE = 100_000;
const DEFAULT_KEY_CHUNK = 10_000;

function checkSize(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE) return value;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `Expected \`${what}\` to be an integer from 1 to ${MAX_PAGE}, got ${describeValue(value)}`,
  );
}

export class XmlFilesSource implements SourceConnector {
  readonly name: string;
  readonly kind = 'xml-files';
  readonly #options: XmlFilesOptions;
  readonly #folder: ExportFolder;
  #ledger: ConnectorStatePort | null;
  readonly #logger: () => Logger;
  readonly #pace: XmlReadPace;
  readonly #repair: RowRepair;
  #closed = false;

  /** `logger`: where a file lacking a named element is told of. @defaultValue the root logger */
  constructor(
    name: string,
    options: XmlFilesOptions,
    ledger: ConnectorStatePort | null = null,
    logger?: Logger,
    pace: XmlReadPace = {},
  ) {
    this.name = name;
    this.#pace = pace;
    this.#repair = compileRepair({
      ...(options.zeroDates ? { zeroDates: options.zeroDates } : {}),
      ...(options.maxValueBytes ? { maxValueBytes: options.maxValueBytes } : {}),
    });
    this.#options = options;
    this.#folder = new ExportFolder(
      name,
      options,
      () => this.#open(),
      () => this.#logger(),
    );
    this.#ledger = ledger;
    this.#logger = () => logger ?? rootLogger();
  }

  /** Hands over the store of files read; without one every read starts from its checkpoint only. */
  attachState(ledger: ConnectorStatePort | null): void {
    this.#ledger = ledger;
  }

  async checkConnection(): Promise<void> {
    this.#open();
    await checkFolder(this.name, this.#options.folder);
  }

  async discover(options: DiscoverOptions = {}): Promise<TableInfo[]> {
    if (options.table !== undefined) resolveTable(this.#folder, options.table);
    const profile = new RecordProfile(this.#options.fields, this.#options.lists);
    for await (const file of this.#folder.files()) {
      for (const r of file.parsed.records) profile.add(r.values, r.lists);
      profile.nextFile();
    }
    options.onProgress?.(1, 1);
    return [{ name: this.#options.recordPath, rowCount: profile.records, ...profile.finish() }];
  }

  async *read(options: ReadOptions): AsyncIterable<Page> {
    const pageSize = checkSize(options.pageSize, 'pageSize');
    const { stream, signal } = options;
    this.#resolve(stream);
    const after = options.after ? decodePosition(options.after, this.name) : null;
    // Outside the read window a run reads nothing, not even the folder's listing.
    if (this.#windowClosed()) return;
    const rate = new RowRate(this.#pace.maxRowsPerSecond);
    // A check (`record: false`) neither consults nor writes the files-read record: it reads the
    // folder whole, and the next run reads exactly what it would have read without the check.
    const store = options.record === false ? null : this.#ledger;
    // The record is the reading pipeline's own (files-read.ts): no other pipeline's skips a file.
    const ledger = store
      ? new FilesRead(store, this.name, this.#options.recordPath, options.reader ?? null)
      : null;
    // From the start (a first run, `run --full`) every file is read again; resuming, the files
    // already read are skipped.
    const recorded = ledger ? await ledger.load() : new Map<string, XmlFileFingerprint>();
    // Resuming a read from the start, only the files it recorded (files-read.ts).
    const fullRead = fullReadOf(after, options.reader !== undefined && recorded.size > 0);
    ledger?.readAs(fullRead);
    const known = skippedFiles(recorded, after);
    const withCursor = stream.cursor !== undefined;

    // Pass 1: which files to read, and in them the latest record of each key (order.ts).
    const files: {
      name: string;
      start: number;
      fingerprint: XmlFileFingerprint;
      warning: AbsentElementsWarning | null;
    }[] = [];
    const latest = new Map<string, RecordOrder>();
    let broken: unknown = null;
    const listed = await this.#folder.list();
    // A folder of one export file: pass 1's parse of it is pass 2's, once its bytes are read again
    // and found unchanged (parsing is a pure function of them); parsed twice, its records were
    // half a read's CPU. With more files each is parsed again, one file's records held at a time.
    let onlyFile: LoadedFile | null = null;
    const fields = new Set<string>();
    const written: WrittenFile[] = [];
    // Without a ledger the checkpoint alone says what was read: every file before its file.
    const toRead = after && !ledger ? listed.filter((n) => compareFileNames(n, after.file) >= 0) : listed;
    // A run's read, not a check's: told once per read of the folder (written-order.ts).
    const check =
      options.record === false
        ? null
        : await WrittenOrderCheck.open(this.#folder, toRead, (n, size) => known.get(n)?.size === size);
    for (const name of toRead) {
      signal?.throwIfAborted();
      // Above `maxFileBytes`, or unreadable: as a broken file (below), the files before it are read
      // and committed first, where the read stopped before any of them.
      const bytes = await this.#folder.readBytes(name).catch((error: unknown) => {
        broken = error;
        return undefined;
      });
      if (bytes === undefined) break;
      if (!bytes) continue;
      const at = { name, mtimeMs: bytes.mtimeMs };
      written.push(at);
      const before = known.get(name);
      if (before && before.sha256 === bytes.sha256 && before.size === bytes.size) continue;
      // Resume inside the checkpoint's file unless it was read completely before and has changed,
      // or was rewritten since the checkpoint's page was read (its index then points into other
      // records: the rewritten file's first records would be skipped for good). With a ledger, a
      // file before the checkpoint's that is not recorded arrived late (or was rewritten after
      // being read): it is read whole.
      // Nor when records of it before the checkpoint were passed over for a file read after it:
      // that file may have been rewritten since without them (position.ts).
      const resumable =
        after !== null &&
        name === after.file &&
        !before &&
        !after.passedOver &&
        (after.sha256 === undefined || after.sha256 === bytes.sha256);
      const start = resumable ? after.index + 1 : 0;
      let file: LoadedFile;
      let absent: AbsentElement[];
      try {
        file = this.#folder.parse(bytes);
        absent = carriedIn(this.#folder, stream, file);
        this.#warnAbsent(file, absent);
        warnBeside(this.#logger(), this.name, file, stream.key);
      } catch (error) {
        // A broken file (truncated, not XML, or lacking in all its records an element the config
        // names while carrying a close match of it, or the key) stops the read there: the files before it are read and committed first, it and
        // the files after it wait for a whole file.
        broken = error;
        break;
      }
      if (listed.length === 1) onlyFile = file;
      for (const f of file.parsed.fields) fields.add(f);
      check?.note(stream, at, file.parsed.records);
      // Key and cursor only: the rows are made in pass 2, of the records it reads.
      for (const r of file.parsed.records) {
        const key = recordKey(stream, name, r);
        const order = { cursor: recordCursor(stream, r), file: name, index: r.index, sha256: file.sha256 };
        const seen = latest.get(key);
        if (!seen || compareRecordOrders(seen, order) < 0) latest.set(key, order);
      }
      files.push({
        name,
        start,
        fingerprint: { name, size: file.size, sha256: file.sha256 },
        warning: absentWarning(name, absent),
      });
    }
    if (check) {
      const read = new Set(files.map((f) => f.name));
      warnWrittenOrder(
        this.#logger(),
        this.name,
        await check.result(this.#folder, stream, written, read, signal),
      );
    }
    if (files.length > 0) {
      await checkFieldsIn(
        this.#folder,
        stream,
        fields,
        listed.filter((n) => !files.some((f) => f.name === n)),
      );
    }

    // Pass 2: the latest record of each key, in file and document order. A page never spans two
    // files: its checkpoint then sits on the file's last record, and a crash before the file is
    // recorded replays nothing (the resume starts past its end).
    // A file whose records were passed over for newer ones in a later file is recorded only once
    // that later file was read as pass 1 saw it: rewritten in between, it may no longer hold them,
    // and the passed-over records would never be read again.
    const position = new Map(files.map((f, i) => [f.name, i]));
    const pending: { fingerprint: XmlFileFingerprint; until: number }[] = [];
    for (const [at, { name, start, fingerprint, warning }] of files.entries()) {
      signal?.throwIfAborted();
      const bytes = await this.#folder.readBytes(name);
      if (!bytes || bytes.sha256 !== fingerprint.sha256) throw this.#changedUnderfoot(name);
      const file =
        onlyFile?.name === name && onlyFile.sha256 === bytes.sha256 ? onlyFile : this.#folder.parse(bytes);
      onlyFile = null;
      // Recorded as read in another content: no longer, before a page of this one is committed.
      const before = recorded.get(name);
      if (ledger && before && (before.sha256 !== fingerprint.sha256 || before.size !== fingerprint.size)) {
        await ledger.reading(fingerprint);
      }
      const blank = blankRow(stream, this.#options.fields, this.#options.lists);
      let page = new PageBuilder(withCursor, fingerprint.sha256, fullRead);
      // The file's absent elements ride on its first page read, for the run to count.
      let untold = warning;
      const finish = (): Page => {
        const done = page.finish();
        if (untold) done.warnings = [untold];
        untold = null;
        return done;
      };
      let until = at;
      for (const r of file.parsed.records) {
        if (r.index < start) continue;
        const order = latest.get(recordKey(stream, name, r));
        if (!order || order.file !== name || order.index !== r.index) {
          until = Math.max(until, order ? (position.get(order.file) ?? at) : at);
          if (until > at) page.passedOver();
          continue;
        }
        const { row, cursor } = toRow(stream, name, r, blank, this.#repair);
        page.add(row, order, cursor);
        if (page.size === pageSize) {
          // The window closed: the read ends at a page boundary, as if the folder were read out;
          // the next run (in the window) resumes from the last committed page's checkpoint.
          if (this.#windowClosed()) return;
          yield finish();
          // Resumed: the consumer committed that page before asking for the next.
          signal?.throwIfAborted();
          await sleep(rate.delayAfter(pageSize), signal);
          page = new PageBuilder(withCursor, fingerprint.sha256, fullRead);
          if (until > at) page.passedOver();
        }
      }
      if (page.size > 0) {
        if (this.#windowClosed()) return;
        const size = page.size;
        yield finish();
        signal?.throwIfAborted();
        await sleep(rate.delayAfter(size), signal);
      }
      // Only now: the generator resumes here once the consumer has committed the file's last page.
      if (ledger) {
        pending.push({ fingerprint, until });
        for (const p of pending.filter((p) => p.until <= at)) await ledger.record(p.fingerprint);
        pending.splice(0, pending.length, ...pending.filter((p) => p.until > at));
      }
    }
    if (broken !== null) throw broken;
  }

  /** Every record of one export file as rows, in document order (for `preview --file`). */
  async fileRows(stream: StreamSpec, name: string): Promise<SourceRow[]> {
    this.#resolve(stream);
    const names = await this.#folder.list();
    const bytes = names.includes(name) ? await this.#folder.readBytes(name) : null;
    if (!bytes) {
      throw new LicbridgeError(
        ErrorCodes.SOURCE_SCHEMA,
        `xml-files ${this.name}: file ${name} not found in the export folder (or it does not match \`pattern\`); ${suggestion(name, names, 'files')}`,
        { context: { source: this.name, file: name } },
      );
    }
    const file = this.#folder.parse(bytes);
    this.#warnAbsent(file, carriedIn(this.#folder, stream, file));
    // As a run does: the rows shown leave out what the elements beside them say.
    warnBeside(this.#logger(), this.name, file, stream.key);
    await checkFieldsIn(
      this.#folder,
      stream,
      new Set(file.parsed.fields),
      names.filter((n) => n !== name),
    );
    const blank = blankRow(stream, this.#options.fields, this.#options.lists);
    return file.parsed.records.map((r) => toRow(stream, name, r, blank, this.#repair).row);
  }

  compareOrders(a: string, b: string): number {
    return compareEncodedOrders(a, b);
  }

  #changedUnderfoot(name: string): LicbridgeError {
    return new LicbridgeError(
      ErrorCodes.SOURCE_UNREACHABLE,
      `xml-files ${this.name}: read failed: file ${name} changed or vanished while it was being read; the next attempt reads it again (have the export tool write a new file instead of rewriting one)`,
      { context: { source: this.name, file: name }, retryable: true },
    );
  }

  async count(stream: StreamSpec): Promise<number> {
    return (await this.#keySet(stream)).length;
  }

  async *keys(
    stream: StreamSpec,
    options: { chunkSize?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<string[]> {
    const chunkSize = checkSize(options.chunkSize ?? DEFAULT_KEY_CHUNK, 'chunkSize');
    const all = await this.#keySet(stream, options.signal);
    for (let i = 0; i < all.length; i += chunkSize) {
      options.signal?.throwIfAborted();
      yield all.slice(i, i + chunkSize);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** The distinct keys over every file (a key exported in several files counts once), in key order. */
  async #keySet(stream: StreamSpec, signal?: AbortSignal): Promise<string[]> {
    this.#resolve(stream);
    const keys = new Set<string>();
    const fields = new Set<string>();
    // One gone since the listing fails the keys: passed over, the keys only it held read as deleted.
    for await (const file of this.#folder.allFiles((name) => this.#changedUnderfoot(name))) {
      signal?.throwIfAborted();
      carriedIn(this.#folder, stream, file);
      for (const f of file.parsed.fields) fields.add(f);
      for (const r of file.parsed.records) keys.add(recordKey(stream, file.name, r));
    }
    checkFields(this.#folder, stream, [...fields], 'records');
    return [...keys].sort(compareKeys);
  }

  /** Tells once per file read which named elements no record of it carries (absent-warnings.ts). */
  #warnAbsent(file: LoadedFile, absent: Parameters<typeof warnAbsent>[3]): void {
    warnAbsent(this.#logger(), this.name, file, absent);
  }

  #resolve(stream: StreamSpec): void {
    this.#open();
    resolveTable(this.#folder, stream.table);
    checkListsOfStream(this.#folder, stream);
    if (this.#options.fields) checkFields(this.#folder, stream, this.#options.fields, 'declared');
  }

  #windowClosed(): boolean {
    const { window, clock } = this.#pace;
    return window !== undefined && !inReadWindow(window, clock ? clock() : new Date());
  }

  #open(): void {
    if (this.#closed) {
      throw new LicbridgeError(ErrorCodes.USAGE, `xml-files ${this.name}: connector is closed`, {
        context: { source: this.name },
      });
    }
  }
}
