/**
 * What `sign files` prints for versions left without a file because the unit recorded with them
 * is not the seal's. It said they were left because "the pipeline's issuer changed since", also
 * when nothing changed: `--pipeline county-food` with the district's seal leaves the county's
 * versions, written for the pipeline's issuer as it still is. The report now says what is so for
 * every case: the version's issuing unit is not the seal's, naming both.
 */
import { expect, it } from 'vitest';
import { filesAttentionReport } from '../../cli/commands/sign-files.js';
import type { IssueFilesSummary } from '../../pipelines/issue-license-files.js';

const DISTRICT = '11370211MB12345672';
const COUNTY = '11370281MB1234568H';
const LICENSE = `1.2.156.3005.2.11370200MB12345674001.${COUNTY}.S00000101`;

function summary(otherUnits: IssueFilesSummary['otherUnits']): IssueFilesSummary {
  return {
    issued: 0,
    withoutTemplate: 0,
    faceOverflow: 0,
    faceOverflows: [],
    otherUnit: otherUnits.length,
    otherUnits,
    storedText: 0,
    storedTexts: [],
    bytes: 0,
    leftoversRemoved: 0,
    unlistedRemoved: 0,
    notInStore: 0,
  };
}

it("names the version's unit and the seal's, claiming no change of the pipeline's issuer", () => {
  const report = filesAttentionReport(
    'sign files',
    '/srv/files',
    summary([
      { licenseId: LICENSE, version: 1, pipeline: 'county-food', issuer: COUNTY, signerUnit: DISTRICT },
    ]),
  );
  expect(report).not.toContain('changed since');
  expect(report).toBe(
    [
      `sign files: no file for these 1 version(s): the issuing unit recorded with each is not the seal's, and a license is sealed with its own unit's seal only`,
      `  ${LICENSE} version 1 (pipeline county-food): issued by ${COUNTY}; the seal is of ${DISTRICT}`,
      'sign files: seal them with a seal of the unit named: `licbridge sign files --seal <a seal of that unit> --pipeline <pipeline>`',
      '',
    ].join('\n'),
  );
});

it('names the unit a license id carries when it is not its issuer code', () => {
  const report = filesAttentionReport(
    'sign backfill',
    '/srv/files',
    summary([
      {
        licenseId: LICENSE,
        version: 2,
        pipeline: 'food',
        issuer: DISTRICT,
        identifierIssuer: COUNTY,
        signerUnit: DISTRICT,
      },
    ]),
  );
  expect(report).toContain(
    `  ${LICENSE} version 2 (pipeline food): issued by ${DISTRICT}, its license id names ${COUNTY}; the seal is of ${DISTRICT}\n`,
  );
});
