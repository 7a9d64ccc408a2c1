import type { Migration } from './migration';
import { intakeSchema } from './001-intake';
import { deliverySchema } from './002-delivery';
import { lookupIndexes } from './003-lookup-indexes';
import { sealedDestinations } from './004-sealed-destinations';
import { secretRotation } from './007-secret-rotation';

/** Every schema step in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [intakeSchema, deliverySchema, lookupIndexes, sealedDestinations, secretRotation];
