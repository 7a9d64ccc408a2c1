import type { BadRequestCase } from './case';
import { NOTHING_STORED } from './case';

/**
 * Where n8n answers before our trigger runs. Its webhook handler reads the body under its own limit
 * (N8N_PAYLOAD_SIZE_MAX, 16 MB), inflating gzip/deflate, and parses JSON for Content-Type application/json
 * itself — answering 422 with a stack trace on any parse error, before authentication, so nothing is kept
 * in quarantine and no 401 is given. (n8n skips that parsing for version-1 webhook nodes whose
 * `options.binaryData` is set: webhook-helpers parseRequestBody.)
 */
type Difference = NonNullable<NonNullable<BadRequestCase['hosts']>['n8n']>;

export const N8N_PARSES_JSON_FIRST: Difference = {
  expect: { status: 422, outcome: null, reason: /Failed to parse request body/, stored: NOTHING_STORED },
  why: 'n8n parses application/json bodies itself and answers 422 (with a stack trace) before the trigger runs',
};

export const N8N_BODY_LIMIT: Difference = {
  expect: { status: 500, outcome: null, reason: /There was a problem executing the workflow/, stored: NOTHING_STORED },
  why: "n8n's raw-body read fails past its own 16 MB limit (declared or inflated) and n8n answers 500, not 413",
};

export const N8N_NO_BODY_TIMEOUT: Difference = {
  expect: { status: -1, outcome: null, reason: /^$/, stored: NOTHING_STORED },
  why: 'n8n reads webhook bodies with no time limit of its own (only Node.js requestTimeout, 300 s by default): a slow sender holds the connection, where Node-RED answers 408 after 10 s',
};

export const N8N_MULTIPART: Difference = {
  expect: { status: 503, outcome: 'store_unavailable', reason: /not ready/, stored: NOTHING_STORED },
  why: 'n8n consumes multipart bodies with its form parser; the trigger then fails to read the raw body and reports "not ready" (503) instead of 415 — to fix in the trigger',
};
