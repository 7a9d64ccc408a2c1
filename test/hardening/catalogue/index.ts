import type { BadRequestCase } from './case';
import { CONTENT_TYPE_CASES } from './content-type-cases';
import { ENCODING_CASES } from './encoding-cases';
import { JSON_CASES } from './json-cases';
import { REPLAY_CASES } from './replay-cases';
import { SIGNATURE_CASES } from './signature-cases';
import { SIZE_CASES } from './size-cases';
import { SOURCE_CASES } from './source-cases';
import { TOLERANCE_CASES } from './tolerance-cases';
import { UTF8_CASES } from './utf8-cases';

/**
 * The bad-request catalogue, in the order it runs (source and budget cases last: they disable sources and
 * spend budgets). Every host under test runs every case.
 */
export const CATALOGUE: readonly BadRequestCase[] = [
  ...SIZE_CASES,
  ...ENCODING_CASES,
  ...JSON_CASES,
  ...UTF8_CASES,
  ...CONTENT_TYPE_CASES,
  ...SIGNATURE_CASES,
  ...TOLERANCE_CASES,
  ...REPLAY_CASES,
  ...SOURCE_CASES,
];
