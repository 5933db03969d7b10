// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import {
  AREA_CODE_PATTERN,
  CREDIT_CODE_PATTERN,
  CRON_PATTERN,
  closed,
  int,
  LICENSE_TYPE_PATTERN,
  nameRef,
  str,
} from './builders.js';

/** Pipelines: one license type from one source to its signer and targets. */
export const pipeline = closed(
  'Moves one license type from one source to the license system.',
  {
    source: nameRef('Name of the source (under `sources`) to read from.'),
    stream: closed(
      'Which table to read and how to page through it.',
      {
        table: str('Table or view to read, e.g. `dbo.T_SPXK_XKZ`.'),
        key: str('Column that identifies a row; licenses get their identifier from it.'),
        cursor: str('Column that grows on every change (update time); incremental runs read past it.'),
        query: str(
          'SQL sources: one read-only SELECT read instead of `table` (which then only names the stream). No ORDER BY or LIMIT: licbridge pages it. Placeholders are `?`.',
        ),
        params: {
          type: 'array',
          description:
            'Values bound to the query\'s `?` placeholders, in order. Quote a code (`"0102"`): an unquoted number that YAML reads as another value than written (`0102` as 102, an 18-digit number inexactly, `0x1F`, `1e3`) is a config problem. Default: none.',
          items: { type: ['string', 'number', 'boolean', 'null'], description: 'A bound value.' },
        },
        lagMs: int(
          "Overrides the source's `lagMs`: rows whose cursor is this close to the database clock wait for the next run. 0 turns it off, which can skip rows committing during a read: each run and `config check --connect` warn about a date/time cursor on a server database read with 0.",
          0,
          86_400_000,
        ),
        keyUnique: {
          type: 'boolean',
          description:
            "SQL sources: `true` declares that the source holds each key on one row at most, where its catalog cannot show it (a view, a query stream). A cursor stream then no longer asks the source, every page, for other rows of the page's keys. Default: `false` (told by the catalog).",
        },
      },
      ['table', 'key'],
    ),
    mapping: str('Path of the mapping file, relative to this file.'),
    licenseType: str('21-character license type code; must exist in the catalog.', {
      pattern: LICENSE_TYPE_PATTERN,
    }),
    issuer: closed(
      'The issuing unit.',
      {
        name: str('Full name of the issuing unit.'),
        code: str('Unified social credit code of the issuing unit.', { pattern: CREDIT_CODE_PATTERN }),
      },
      ['name', 'code'],
    ),
    areaCode: str('6-digit division code used when the mapping sets none. Quote it in YAML.', {
      pattern: AREA_CODE_PATTERN,
    }),
    signer: nameRef("Name of the signer (under `signers`) that seals this pipeline's licenses."),
    targets: {
      type: 'array',
      description: 'Names of the targets (under `targets`) every license is delivered to.',
      minItems: 1,
      uniqueItems: true,
      items: nameRef('Name of a target.'),
    },
    schedule: str('Cron expression for `licbridge schedule`, e.g. `*/15 * * * *`.', {
      pattern: CRON_PATTERN,
    }),
    pageSize: int("Overrides the source's page size.", 1, 50_000),
    quarantineAlertShare: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.05,
      description:
        "Share of a run's rows read whose quarantine needs a person: above it `licbridge status` exits 3 naming the top reason codes (a wrong encoding, a changed column, a catalog entry that does not fit). 0.05 is 5 %.",
    },
    quarantineRecheck: int(
      'Quarantined keys read again by key at the end of each run, least recently seen first: those held by several rows (`LB_SOURCE_KEY_DUPLICATE`, `LB_SOURCE_KEY_AMBIGUOUS`), whose other row may have been renumbered or deleted; renewals whose predecessor was unknown (`LB_PREDECESSOR_UNKNOWN`), once the pipeline has issued licenses since; and any quarantined key last seen before the mapping or the catalog changed. The checkpoint does not move. 0 reads none again (they come back with `licbridge run --full`). SQL sources only.',
      0,
      50_000,
      { default: 500 },
    ),
    expiry: {
      type: 'boolean',
      default: true,
      description:
        'Derived expiry: a license the source calls valid whose `validTo` is before today (in `lifecycle.timeZone`) is `expired` — when mapped, and by the daily tick (`licbridge lifecycle run`) once its date passes. A revoked, cancelled or suspended license keeps its status. `false`: the source alone says when a license expires.',
    },
  },
  ['source', 'stream', 'mapping', 'licenseType', 'issuer', 'signer', 'targets'],
);
