/**
 * A driver's message longer than a ledger error keeps is masked before it is cut. It was cut to 300
 * characters first and masked where it was shown: a quoted value the cut split lost its closing
 * quote and went whole (`'欧阳...`), and an ID number the cut split was too short for its shape and
 * printed by the CLI as it stood (`1101051949123...`).
 */
import { describe, expect, it } from 'vitest';
import { errorLine, failureMessage } from '../../core/errors.js';
import { wrapLedgerError } from '../../ledger/sql-errors.js';
import {
  expectNothingPersonal,
  HOLDER_ID as ID,
  HOLDER_NAME as NAME,
  ownProperties,
} from '../support/unquoted-failures.js';

/** Knex's SQL with the values written in, ` - `, then the driver's words. */
const SQL = `insert into licbridge_versions (source_key, payload) values ('${ID}', '{"holder":"${NAME}"}')`;

/** A driver's message `length` characters long, the last a space, before `rest`. */
function driverWords(length: number, rest: string): string {
  const words = 'the statement was refused by the server for the key of the row it wrote ';
  const head = 'Duplicate entry for key uq_versions: '.padEnd(length - 1, words);
  return `${head} ${rest}`;
}

function driverError(words: string): Error {
  const e = new Error(`${SQL} - ${words}`);
  (e as Error & { code: string }).code = 'ER_DUP_ENTRY';
  return e;
}

/** Every form a ledger error is shown in: its own properties and cause chain, stored, logged, printed. */
function shown(e: Error): string {
  return [
    ownProperties(e),
    failureMessage(e).message,
    errorLine(e),
    // The CLI prints a licbridge error's numbers masked by shape only (cli/errors.ts).
    failureMessage(e, { bounded: false, numbers: 'shapes' }).message,
  ].join('\n');
}

describe('a driver message cut inside a value', () => {
  it('hides a quoted name whose closing quote the cut takes away', () => {
    // 297 characters are kept: the quote and the name's first two characters among them.
    const wrapped = wrapLedgerError('commit page', driverError(driverWords(294, `'${NAME}' conflicts`)));
    expect(wrapped.message).toMatch(/^ledger: commit page failed: ER_DUP_ENTRY: Duplicate entry for key /);
    expectNothingPersonal(shown(wrapped));
    expect(shown(wrapped)).not.toContain(NAME.slice(0, 2));
  });

  it('masks an ID number the cut splits', () => {
    // 297 characters are kept: the first 13 of the number's 18 among them.
    const wrapped = wrapLedgerError('commit page', driverError(driverWords(284, `${ID} conflicts`)));
    expect(wrapped.message).toMatch(/^ledger: commit page failed: ER_DUP_ENTRY: Duplicate entry for key /);
    expectNothingPersonal(shown(wrapped));
  });

  it('keeps the length bounded and a short message whole', () => {
    const long = wrapLedgerError('commit page', driverError(driverWords(2000, 'end')));
    expect(Array.from((long.cause as Error).message)).toHaveLength(300);
    expect((long.cause as Error).message.endsWith('...')).toBe(true);
    const short = wrapLedgerError('commit page', driverError('database is locked'));
    expect(short.message).toBe('ledger: commit page failed: ER_DUP_ENTRY: database is locked');
  });
});
