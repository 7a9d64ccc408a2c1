import { z } from 'zod';

/**
 * How a source that receives messages from another node (a bus, a poller, a file watcher) is trusted.
 * `channel`: the broker's own authentication vouches for the sender and no signature is checked — chosen
 * explicitly, never by default. `signature`: the message headers carry a signature, verified as for HTTP.
 */
export const MESSAGE_TRUSTS = ['channel', 'signature'] as const;
export type MessageTrust = (typeof MESSAGE_TRUSTS)[number];

export const messageTrustSchema = z.enum(MESSAGE_TRUSTS);
