/**
 * JSON Schemas of the catalog: the schema a catalog entry file must satisfy, and the canonical
 * License schema one entry's validator is compiled from.
 */
import type { SchemaObject } from 'ajv';
import { FACE_TEMPLATE_SCHEMA } from './face-template.js';
import { HOLDER_ID_TYPES, ORGANISATION_ID_TYPES } from './holder-id.js';
import { LICENSE_STATUSES } from './license.js';

export const HOLDER_CATEGORIES = ['natural-person', 'legal-person'] as const;
export type HolderCategory = (typeof HOLDER_CATEGORIES)[number];
/**
 * What an entry's `holderCategory` may say: one category, `both`, or a list. Many license types
 * (food, transport, catering, medical practice) are held by companies and by individual
 * businesses (个体工商户, held under the operator's resident ID) alike.
 */
export type HolderCategorySetting = HolderCategory | 'both' | readonly HolderCategory[];

/** The categories an entry's `holderCategory` allows. */
export function holderCategoriesOf(setting: HolderCategorySetting): HolderCategory[] {
  if (setting === 'both') return [...HOLDER_CATEGORIES];
  return typeof setting === 'string' ? [setting] : [...setting];
}

/** GB/T 36903 id types one holder category holds. */
export function idTypesOfCategory(category: HolderCategory): string[] {
  return category === 'legal-person'
    ? [...ORGANISATION_ID_TYPES]
    : HOLDER_ID_TYPES.filter((t) => !ORGANISATION_ID_TYPES.includes(t));
}

/** Id types an entry accepts: its `holderIdTypes` when given, else every type of its categories. */
export function allowedIdTypes(
  entry: Pick<LicenseSchemaEntry, 'holderCategory' | 'holderIdTypes'>,
): string[] {
  const ofCategories = holderCategoriesOf(entry.holderCategory).flatMap(idTypesOfCategory);
  if (!entry.holderIdTypes) return HOLDER_ID_TYPES.filter((t) => ofCategories.includes(t));
  return entry.holderIdTypes.filter((t) => ofCategories.includes(t));
}

/** Levels of defining and issuing bodies (GB/T 36903 catalog metadata). */
export const AUTHORITY_LEVELS = ['national', 'province', 'city', 'county'] as const;
export type AuthorityLevel = (typeof AUTHORITY_LEVELS)[number];

const codedName = (what: string, codeSchema: SchemaObject): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'code'],
  properties: {
    name: { type: 'string', minLength: 1, description: `Name of the ${what}.` },
    code: { ...codeSchema, description: `Code of the ${what}.` },
  },
});

/** One catalog entry file (目录): one license type. */
export const CATALOG_ENTRY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'defineAuthority', 'holderCategory', 'surface'],
  properties: {
    code: {
      type: 'string',
      // GB/T 36904: type code = defining body's 18-char credit code + 3-digit sequence.
      pattern: '^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$',
      description: 'License type code (证照类型代码), 21 chars.',
    },
    name: { type: 'string', minLength: 1, description: 'License type name, e.g. 食品经营许可证.' },
    defineAuthority: codedName('body that defines the license type', { type: 'string', format: 'uscc' }),
    holderCategory: {
      anyOf: [
        { enum: [...HOLDER_CATEGORIES, 'both'] },
        { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...HOLDER_CATEGORIES] } },
      ],
      description:
        'natural-person, legal-person (legal person and other organisation), both, or a list of them.',
    },
    holderIdTypes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...HOLDER_ID_TYPES] },
      description:
        'GB/T 36903 holder id types accepted, e.g. [001, 111]; default: every type of the categories.',
    },
    validity: { type: 'string', minLength: 1, description: 'Validity range as text, e.g. 5年.' },
    defineLevel: {
      enum: [...AUTHORITY_LEVELS],
      description: 'Level of the defining body: national, province, city or county (区/县).',
    },
    issuerLevel: {
      enum: [...AUTHORITY_LEVELS],
      description: 'Level of the bodies that issue this type: national, province, city or county.',
    },
    relatedItems: {
      type: 'array',
      description: 'Related service items (关联事项), each with name and code.',
      items: codedName('related service item', { type: 'string', minLength: 1 }),
    },
    description: { type: 'string', description: 'Free text for people.' },
    surface: {
      type: 'object',
      required: ['type'],
      properties: { type: { const: 'object' } },
      description: 'JSON Schema of the face fields (照面信息).',
    },
    face: FACE_TEMPLATE_SCHEMA,
  },
};

export interface LicenseSchemaEntry {
  code: string;
  holderCategory: HolderCategorySetting;
  holderIdTypes?: readonly string[];
  surface: Record<string, unknown>;
}

/** The canonical License schema for one entry, with the entry's surface schema under `surface`. */
export function licenseSchemaFor(entry: LicenseSchemaEntry): SchemaObject {
  const idTypes = allowedIdTypes(entry);
  const date = { type: 'string', format: 'iso-date' };
  return {
    type: 'object',
    additionalProperties: false,
    required: [
      'identifier',
      'number',
      'type',
      'issuer',
      'issueDate',
      'validFrom',
      'validTo',
      'areaCode',
      'holder',
      'status',
      'surface',
    ],
    properties: {
      identifier: { type: 'string', format: 'license-identifier' },
      number: { type: 'string', minLength: 1, maxLength: 128, pattern: '\\S' },
      type: codedName('license type', { type: 'string', const: entry.code }),
      issuer: codedName('issuing body', { type: 'string', format: 'uscc' }),
      issueDate: date,
      validFrom: date,
      validTo: { type: ['string', 'null'], format: 'iso-date' },
      areaCode: { type: 'string', format: 'division-code' },
      holder: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'idType', 'id'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 256, pattern: '\\S' },
          // GB/T 36903 annex A, narrowed by the entry's holder categories and id types.
          idType: { type: 'string', enum: idTypes },
          id: { type: 'string' },
        },
      },
      status: { type: 'string', enum: [...LICENSE_STATUSES] },
      surface: entry.surface,
      previousIdentifier: { type: 'string', format: 'license-identifier' },
    },
  };
}
