import type { Migration } from './migration';

/**
 * One lease row per scheduled job (e.g. the daily retention cleanup): the day it was last claimed and by whom,
 * so of several processes sharing a store only the first to claim a day runs the job that day.
 */
export const scheduledJobs: Migration = {
  version: 10,
  name: 'scheduled-jobs',
  up: () => `
    CREATE TABLE scheduled_job_runs (
      job TEXT PRIMARY KEY,
      run_day TEXT NOT NULL,
      holder TEXT NOT NULL,
      claimed_at BIGINT NOT NULL
    );
  `,
};
