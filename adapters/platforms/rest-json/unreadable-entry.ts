/**
 * An entry of the platform's that cannot be read back into a license (no version number, no
 * license id, content that cannot be hashed), as a record marked `unreadable`: what keeps it from
 * being read, named by fields, never their values, and which license it is when it says so.
 * Used by ./lookup.ts, which reads the platform's answers and gives every entry as a record.
 */
import { licenseIdOf, parseIdentifier } from '../../../catalog/identifier.js';
import { idText } from '../shared/exact-ids.js';
import type { PlatformRecord } from '../target.js';
import { UNREADABLE_REASONS, type UnreadableReason } from '../unreadable-reasons.js';
import { versionOf, versionProblem } from './platform-entry.js';

/** What keeps an entry from being read back, naming fields, never their values (personal data). */
export function whyUnreadable(entry: unknown): UnreadableReason {
  if (typeof entry !== 'object' || entry === null) return UNREADABLE_REASONS.notAnObject;
  const e = entry as Record<string, unknown>;
  if (typeof e.licenseId !== 'string') return UNREADABLE_REASONS.noLicenseId;
  return versionProblem(e.version) ?? UNREADABLE_REASONS.licenseUnreadable;
}

/**
 * An entry that cannot be read back, as a record that says so: its license id when it names one
 * (`licenseId`, else the license's own `zzbs`), else none (`''`), and its place in the listing.
 */
export function unreadableEntry(entry: unknown, reason: UnreadableReason, position?: number): PlatformRecord {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const byContent = typeof e.licenseId === 'string' ? '' : licenseIdIn(e.license);
  return {
    licenseId: typeof e.licenseId === 'string' ? e.licenseId : byContent,
    identifier: '',
    version: versionOf(e.version) ?? 0,
    status: '',
    platformId: idText(e.platformId),
    unreadable: {
      reason,
      ...(position === undefined ? {} : { position }),
      ...(byContent === '' ? {} : { namedByContent: true as const }),
    },
  };
}

/** The license id a platform license's `zzbs` names, or `''`. */
function licenseIdIn(license: unknown): string {
  const zzbs = (license as { zzbs?: unknown } | null | undefined)?.zzbs;
  if (typeof zzbs !== 'string') return '';
  const parsed = parseIdentifier(zzbs);
  if (!parsed.ok) return '';
  try {
    return licenseIdOf(parsed);
  } catch {
    return '';
  }
}
