import type { HeaderBag } from '../http/headers';
import type { AuthConfig } from './auth-config';
import type { QueryParams } from './verify-result';

/** One request as a scheme sees it, with the secrets already narrowed to the live ones. */
export interface SchemeRequest {
  config: AuthConfig;
  secrets: string[];
  headers: HeaderBag;
  rawBody: Buffer;
  query: QueryParams;
  now: Date;
}

/** What a scheme learned from a request it accepted. */
export interface SchemeAcceptance {
  /** The exact bytes the matching signature covers; absent for unsigned schemes. */
  signedContent?: Buffer;
  /** Unix seconds, for timestamped schemes. */
  timestamp?: number;
  /** A message id the signature covers (Standard Webhooks). */
  messageId?: string;
  /** Which of `SchemeRequest.secrets` matched; absent for `none`. */
  secretIndex?: number;
}

export interface SignOptions {
  id?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  header?: string;
  timestampHeader?: string;
}

export interface Scheme {
  /** False only for `none`: the others fail with `no_live_secret` when every secret has expired. */
  requiresSecret: boolean;
  /** Throws `VerificationFailure` (or `DuplicateHeaderError`) when the request is not authentic. */
  verify(request: SchemeRequest): SchemeAcceptance;
  /** The headers a sender adds to the request. */
  sign(secret: string, rawBody: Buffer, options: SignOptions): Record<string, string>;
}
