/**
 * The export folder as a source sees it: the files matching its pattern, each read within the
 * size ceiling, decoded and parsed into records. A file that cannot be parsed is refused whole.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import { trimmer } from '../sql/values.js';
import { decodeXml, type XmlEncodingOption } from './decode.js';
import { type FileBytes, globToRegExp, listFiles, readFileBytes } from './files.js';
import type { XmlFileFingerprint } from './files-read.js';
import { type ParsedFile, parseRecords } from './records.js';

export interface XmlFilesOptions {
  /** Absolute path of the export folder. */
  folder: string;
  /** Glob on file names. @defaultValue `*.xml` */
  pattern: string;
  /** Slash-separated element path of one record, e.g. `Root/Records/Record`. */
  recordPath: string;
  /** Fields every record is expected to carry. @defaultValue learnt from the records */
  fields?: readonly string[];
  /**
   * Elements read as a list in every record, one occurrence too (`XM`, `JYXM`, `DZ.XM`), each a
   * JSON list text; one absent from a record is null. @defaultValue none: an element is a list
   * only where a record holds it more than once
   */
  lists?: readonly string[];
  /** @defaultValue `auto` */
  encoding: XmlEncodingOption;
  /** @defaultValue 67108864 (64 MiB) */
  maxFileBytes: number;
  /**
   * Fields whose surrounding XML white space (space, tab, CR, LF) is trimmed, named in any case.
   * @defaultValue `all`
   */
  trim: 'all' | 'none' | readonly string[];
  /** Fields whose zero dates (`00000000`, `0000-00-00`, `00000000000000`) become null. @defaultValue `none` */
  zeroDates?: 'all' | 'none' | readonly string[];
  /** Largest value kept, UTF-8 bytes; a larger one quarantines its record. @defaultValue 16777216 */
  maxValueBytes?: number;
}

/** One export file, parsed, with the size and SHA-256 of the bytes it was parsed from. */
export interface LoadedFile extends XmlFileFingerprint {
  parsed: ParsedFile;
}

export class ExportFolder {
  readonly source: string;
  readonly options: XmlFilesOptions;
  readonly #pattern: RegExp;
  readonly #recordPath: string[];
  readonly #trims: (field: string) => boolean;
  readonly #guard: () => void;

  readonly #logger: () => Logger;
  /** Names told of as read in GB18030 (files.ts), so each is told once. */
  readonly #toldGb18030 = new Set<string>();

  /**
   * `guard`: throws when the source was closed; called before every file is read. `logger`: where
   * a file name read in GB18030 although valid in UTF-8 is told of.
   */
  constructor(
    source: string,
    options: XmlFilesOptions,
    guard: () => void,
    logger: () => Logger = rootLogger,
  ) {
    this.source = source;
    this.options = options;
    this.#pattern = globToRegExp(options.pattern);
    this.#recordPath = options.recordPath.split('/');
    // Field names compared case-insensitively, as a database source compares its `trim` columns and
    // this source its `zeroDates` fields: compared exactly, `[sfzh]` trimmed no `SFZH`, and a
    // CHAR-padded export's values went out with their padding.
    this.#trims = trimmer(options.trim);
    this.#guard = guard;
    this.#logger = logger;
  }

  /** The names of the export files, in file-name order (files.ts). */
  list(): Promise<string[]> {
    return listFiles(this.source, this.options.folder, this.#pattern, (name) => this.#tellGb18030(name));
  }

  /** Once per name: which decoding of a name in both matched `pattern` (the file's name only). */
  #tellGb18030(name: string): void {
    if (this.#toldGb18030.has(name)) return;
    this.#toldGb18030.add(name);
    this.#logger().info(
      { source: this.source, file: name, decoding: 'gb18030' },
      `xml-files ${this.source}: file ${name}: name read as GB18030: its bytes are valid UTF-8 too, but only the GB18030 reading matches \`pattern\``,
    );
  }

  /** A file's bytes, or null when it vanished since the listing. */
  readBytes(name: string): Promise<FileBytes | null> {
    this.#guard();
    return readFileBytes(this.source, this.options.folder, name, this.options.maxFileBytes);
  }

  /** A file read and parsed, or null when it vanished since the listing. */
  async load(name: string): Promise<LoadedFile | null> {
    const bytes = await this.readBytes(name);
    return bytes ? this.parse(bytes) : null;
  }

  /** Every export file of the folder, parsed, in file-name order. */
  async *files(): AsyncIterable<LoadedFile> {
    for (const name of await this.list()) {
      const file = await this.load(name);
      if (file) yield file;
    }
  }

  /**
   * Every export file, parsed, in file-name order; one gone since the listing fails with
   * `gone(name)` (a key set must not take an export rewritten by delete and write for deleted).
   */
  async *allFiles(gone: (name: string) => Error): AsyncIterable<LoadedFile> {
    for (const name of await this.list()) {
      const file = await this.load(name);
      if (!file) throw gone(name);
      yield file;
    }
  }

  parse(file: FileBytes): LoadedFile {
    const where = { source: this.source, file: file.name };
    const { text, encoding, doubt, replaced } = decodeXml(file.bytes, this.options.encoding, where);
    const outcome = parseRecords(
      text,
      this.#recordPath,
      this.#trims,
      { file: file.name, encoding, doubt, replaced },
      this.options.lists,
    );
    if (!outcome.ok) {
      // A file that cannot be parsed stops the read: skipping it would drop its records silently.
      throw new LicbridgeError(
        ErrorCodes.SOURCE_SCHEMA,
        `xml-files ${this.source}: parse failed: file ${file.name}: ${outcome.reason}`,
        { context: where },
      );
    }
    return { name: file.name, size: file.size, sha256: file.sha256, parsed: outcome.file };
  }
}
