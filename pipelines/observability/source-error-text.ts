/**
 * A source's error as `status` (text, `--json`), /metrics' lag failure and the lag probe's log line
 * quote it. A database quotes the value it could not read, a checkpoint's key among them, and the
 * key column may hold a holder's ID, passport number or name, which no shape tells
 * (./checkpoint-key.ts): a quoted value is hidden as the CLI hides it (core/quoted-values.ts; the
 * names of tables, columns and constraints kept), and resident ID, mobile and PRC passport numbers
 * standing bare are masked (`1101**********002X`, `*******8000`, `E*******8`).
 */
import { maskPersonalShapes } from '../../catalog/personal.js';
import { isLicbridgeError } from '../../core/errors.js';
import { maskPassportShapes } from '../../core/mask.js';
import { hideQuoted } from '../../core/quoted-values.js';

/**
 * `error` (an error, or the text of one already told) made safe to show. A licbridge error's own
 * backticks name config values and stay; a driver's backticks (MySQL's) may quote a value.
 */
export function sourceErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const backticks = error instanceof Error && !isLicbridgeError(error);
  return maskPassportShapes(maskPersonalShapes(hideQuoted(text, { backticks, keepIdentifiers: true })));
}
