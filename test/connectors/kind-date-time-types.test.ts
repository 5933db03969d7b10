/**
 * The draft mapping suggests `date` for the types each SQL kind's dialect names its date/time types
 * (connectors/sql/discover.ts `kindDateTimeTypes`). A database server kind missing there would
 * fall back to guessing from the type's name, which takes a PostgreSQL enum `update_stage` or a
 * MySQL `enum('new','updated')` for a date: every server kind of the registry is found there.
 */
import { describe, expect, it } from 'vitest';
import { kindsOfShape } from '../../connectors/kinds.js';
import { kindDateTimeTypes } from '../../connectors/sql/discover.js';

describe('kindDateTimeTypes', () => {
  it("gives every database server kind its dialect's date/time types", async () => {
    const servers = kindsOfShape('sql-server');
    expect(servers.length).toBeGreaterThan(0);
    for (const kind of servers) expect(await kindDateTimeTypes(kind), kind).toBeInstanceOf(RegExp);
  });

  it('gives none for SQLite, whose declared types are free text, nor for export files', async () => {
    expect(await kindDateTimeTypes('sqlite')).toBeUndefined();
    expect(await kindDateTimeTypes('xml-files')).toBeUndefined();
  });
});
