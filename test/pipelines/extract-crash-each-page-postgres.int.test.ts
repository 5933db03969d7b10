/**
 * A run killed after each committed page, taken up by a fresh process, on the PostgreSQL ledger
 * (./extract-crash-each-page-suite.ts; SQLite: ./extract-crash-each-page.int.test.ts).
 */
import { postgresBackend } from '../ledger/backends.js';
import { describeKilledRuns } from './extract-crash-each-page-suite.js';

describeKilledRuns(postgresBackend);
