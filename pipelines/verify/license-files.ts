/**
 * License files in `verify --all` (and `--license`): every file the ledger lists is read from the
 * store and must be the file the ledger recorded (its SM3 and size) and a sealed OFD that
 * `verify --file` accepts — every reference hash, the SES signature, the seal, and the signer's
 * certificate among the trusted ones. A file missing from the store fails like a changed one.
 * The file must also be the one of its version: the license identifier its `OFD.xml` carries (a
 * signed part) is the version's, so a valid sealed file of another license, recorded in its
 * place, fails too.
 */
import { createHash } from 'node:crypto';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { applySealStandings, type SealStanding } from './seal-status.js';

/** Ledger rows read per page. */
export const FILES_PAGE = 500;

export interface FileVerifyResult {
  licenseId: string;
  version: number;
  versionId: number;
  /** Path in the store, as the ledger records it. */
  path: string;
  ok: boolean;
  reasons: string[];
  /** What the verdict rests on without failing it (a seal revoked after signing, a timestamp not checked). */
  notes: string[];
}

export interface FilesSummary {
  /** Files the ledger lists in the selection. */
  checked: number;
  failed: number;
  /** Every file's result; with `notableOnly`, those failed or with notes. */
  results: FileVerifyResult[];
}

export interface FileSelection {
  pipeline?: string;
  licenseIds?: readonly string[];
}

/**
 * The file rows the ledger lists for `selection`, a keyset page by version id at a time (one file
 * row per version): each page's rows of the selection's licenses, pages left empty by it included.
 */
export async function* selectedFilePages(
  ledger: Pick<Ledger, 'licenseFiles'>,
  selection: FileSelection,
  pageSize: number = FILES_PAGE,
): AsyncGenerator<StoredLicenseFile[]> {
  const only = selection.licenseIds === undefined ? undefined : new Set(selection.licenseIds);
  for (let after = 0; ; ) {
    const page = await ledger.licenseFiles.list({
      afterVersionId: after,
      limit: pageSize,
      ...(selection.pipeline !== undefined ? { pipeline: selection.pipeline } : {}),
    });
    if (page.length === 0) return;
    after = (page[page.length - 1] as StoredLicenseFile).versionId;
    yield page.filter((f) => !only || only.has(f.licenseId));
  }
}

export async function verifyLicenseFiles(
  ledger: Ledger,
  storeRoot: string,
  trust: readonly TrustedMaterial[],
  selection: FileSelection,
  seals: readonly SealStanding[] = [],
  /** Keep only the results a report prints (failed, or with notes): a million files that pass hold nothing. */
  notableOnly = false,
): Promise<FilesSummary> {
  const store = new LicenseFileStore(storeRoot);
  const results: FileVerifyResult[] = [];
  let checked = 0;
  let failed = 0;
  for await (const wanted of selectedFilePages(ledger, selection)) {
    // The identifier is the row's own column: a version whose stored text does not read still
    // has its file checked (read from the text, it threw out of the whole verification).
    const identifiers = new Map(
      (await ledger.getVersions(wanted.map((f) => f.versionId))).map((v) => [v.versionId, v.identifier]),
    );
    for (const f of wanted) {
      const { reasons, notes } = await checkOne(store, f, identifiers.get(f.versionId), trust, seals);
      checked++;
      if (reasons.length > 0) failed++;
      else if (notableOnly && notes.length === 0) continue;
      results.push({
        licenseId: f.licenseId,
        version: f.version,
        versionId: f.versionId,
        path: f.path,
        ok: reasons.length === 0,
        reasons,
        notes,
      });
    }
  }
  return { checked, failed, results };
}

/** Why one stored file fails (nothing when it passes), and the notes of its signatures. */
async function checkOne(
  store: LicenseFileStore,
  f: StoredLicenseFile,
  identifier: string | undefined,
  trust: readonly TrustedMaterial[],
  seals: readonly SealStanding[],
): Promise<{ reasons: string[]; notes: string[] }> {
  let bytes: Buffer;
  try {
    bytes = await store.read(f);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    // A path the ledger recorded outside the store (LicenseFileStore.read) is refused in words.
    const refused = e instanceof LicbridgeError && e.code === ErrorCodes.LEDGER ? e.message : undefined;
    return {
      reasons: [
        refused ??
          (code === 'ENOENT' ? `missing from the file store ${store.root}` : `cannot read it (${code})`),
      ],
      notes: [],
    };
  }
  const sm3 = createHash('sm3').update(bytes).digest('hex');
  if (sm3 !== f.sm3 || bytes.length !== f.size) {
    return {
      reasons: [
        `not the file the ledger recorded (SM3 ${sm3}, ${bytes.length} bytes in the store; ${f.sm3}, ${f.size} bytes in the ledger)`,
      ],
      notes: [],
    };
  }
  const verdict = applySealStandings(verifyOfd(bytes, trust), seals);
  const problems = [
    ...verdict.problems,
    ...verdict.signatures.flatMap((s) => s.problems.map((p) => `${s.path}: ${p}`)),
  ];
  if (!verdict.ok && problems.length === 0) problems.push('the OFD does not verify');
  const named = namedIdentifier(bytes);
  if (named === undefined) problems.push('OFD.xml names no license identifier (CustomData `identifier`)');
  else if (named !== null && named !== identifier)
    problems.push(`the file of ${named}, not of this version (${identifier ?? 'not in the ledger'})`);
  return {
    reasons: problems,
    notes: verdict.signatures.flatMap((s) => s.notes.map((n) => `${s.path}: ${n}`)),
  };
}

/**
 * The license identifier `OFD.xml` carries (`<ofd:CustomData Name="identifier">`); undefined when
 * it names none, null when the package cannot be read (verifyOfd says why).
 */
function namedIdentifier(bytes: Buffer): string | undefined | null {
  try {
    const main = readZip(bytes).read('OFD.xml').toString('utf8');
    // Identifiers (GB/T 36904) are digits, capitals and dots: nothing to unescape.
    return /<(?:[\w.-]+:)?CustomData\s+Name="identifier"\s*>([^<]*)</.exec(main)?.[1];
  } catch {
    return null;
  }
}
