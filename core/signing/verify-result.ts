import type { HeaderBag } from '../http/headers';

export type QueryParams = Record<string, string | string[] | undefined>;

export interface VerifyInput {
  headers: HeaderBag;
  rawBody: Buffer;
  query?: QueryParams;
  now: Date;
}

export type VerifyFailureCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'invalid_signature'
  | 'duplicate_header'
  | 'missing_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'no_live_secret'
  | 'unsupported_scheme';

export type VerifyResult =
  | {
      ok: true;
      messageId?: string;
      replayKey: string;
      timestamp?: number;
      /** Which secret the request was signed with (`current`, `previous`, …): a name, never the value. Absent for `none`. */
      secretLabel?: string;
    }
  | { ok: false; code: VerifyFailureCode; message: string };
