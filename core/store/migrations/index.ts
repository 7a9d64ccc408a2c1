import type { Migration } from './migration';
import { intakeSchema } from './001-intake';
import { deliverySchema } from './002-delivery';
import { lookupIndexes } from './003-lookup-indexes';
import { sealedDestinations } from './004-sealed-destinations';
import { consoleSchema } from './008-console';

/** Every schema step in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [intakeSchema, deliverySchema, lookupIndexes, sealedDestinations, consoleSchema];
