import type { Migration } from './migration';
import { intakeSchema } from './001-intake';
import { deliverySchema } from './002-delivery';
import { lookupIndexes } from './003-lookup-indexes';
import { sealedDestinations } from './004-sealed-destinations';
import { replayKeys } from './005-replay-keys';
import { eventTime } from './006-event-time';
import { secretRotation } from './007-secret-rotation';
import { consoleSchema } from './008-console';
import { regulatoryReports } from './009-regulatory-reports';
import { scheduledJobs } from './010-scheduled-jobs';
import { lifecycleEvents } from './011-lifecycle-events';
import { rateBuckets } from './012-rate-buckets';
import { leanIntake } from './013-lean-intake';
import { dropUnusedRateColumns } from './014-drop-unused-rate-columns';

/** Every schema step in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [intakeSchema, deliverySchema, lookupIndexes, sealedDestinations, replayKeys, eventTime, secretRotation, consoleSchema, regulatoryReports, scheduledJobs, lifecycleEvents, rateBuckets, leanIntake, dropUnusedRateColumns];
