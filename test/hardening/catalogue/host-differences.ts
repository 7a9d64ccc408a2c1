import type { BadRequestCase } from './case';
import { NOTHING_STORED } from './case';

/**
 * Where n8n answers before the Incident Intake Trigger runs. Since the trigger carries the hidden
 * `options.binaryData` (n8n then leaves a version-1 webhook node's body unread: webhook-helpers
 * parseRequestBody) and reads the raw request itself, every body-related case gets the status table's
 * answer from our code. What is left is routing: a path or method with no registered webhook never reaches
 * any node, and n8n answers with its own 404 (Node-RED's Express does the same with its own page).
 */
type Difference = NonNullable<NonNullable<BadRequestCase['hosts']>['n8n']>;

export const N8N_UNREGISTERED_PATH: Difference = {
  expect: { status: 404, outcome: null, reason: /The requested webhook \\?"POST hard\/no-such-source\\?" is not registered/, stored: NOTHING_STORED },
  why: "no webhook is registered at that path, so n8n's webhook router answers 404 itself before any node runs",
};

export const N8N_UNREGISTERED_METHOD: Difference = {
  expect: { status: 404, outcome: null, reason: /not registered for GET requests\. Did you mean to make a POST request\?/, stored: NOTHING_STORED },
  why: "the trigger registers POST only; n8n's webhook router answers other methods with 404 (and a hint) before any node runs",
};
