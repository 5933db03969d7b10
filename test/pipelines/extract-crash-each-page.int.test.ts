/**
 * A run killed after each committed page, taken up by a fresh process, on the SQLite ledger
 * (./extract-crash-each-page-suite.ts; PostgreSQL: ./extract-crash-each-page-postgres.int.test.ts).
 */
import { sqliteBackend } from '../ledger/backends.js';
import { describeKilledRuns } from './extract-crash-each-page-suite.js';

describeKilledRuns(sqliteBackend);
