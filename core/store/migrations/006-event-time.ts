import type { Migration } from './migration';

/**
 * The provider's time (epoch ms) of the newest event an incident has taken, so that an older event arriving
 * late — senders retry for hours — is recorded as stale instead of rolling the incident back. Empty for
 * incidents whose events carried no time (and for those created before this step): every event applies to them.
 */
export const eventTime: Migration = {
  version: 6,
  name: 'event-time',
  up() {
    return `
      ALTER TABLE incidents ADD COLUMN last_event_at BIGINT;
    `;
  },
};
