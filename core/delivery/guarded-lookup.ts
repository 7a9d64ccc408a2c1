import { lookup, type LookupAddress } from 'node:dns';
import { refusalFor, type HostPolicy } from './host-policy';

/** Resolves a host name to every address it has (the system resolver unless a test supplies one). */
export type Resolver = (host: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (host, callback) => lookup(host, { all: true, verbatim: true }, callback);

export const DESTINATION_REFUSED = 'EDESTINATIONREFUSED';

export function destinationRefused(reason: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`destination refused: ${reason}`), { code: DESTINATION_REFUSED });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the sockets deliveries open: resolves the name, checks every address against the policy, and
 * connects only to addresses it just checked — so a name cannot pass the check and then resolve elsewhere.
 */
export function guardedLookup(policy: HostPolicy, resolve: Resolver = systemResolver) {
  return (host: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolve(host, (error, addresses) => {
      if (error) return callback(error, []);
      const refusal = addresses.length === 0 ? `${host} has no address` : refusalFor(policy, host, addresses.map((entry) => entry.address));
      if (refusal) return callback(destinationRefused(refusal), []);
      const family = Number(String(options.family ?? 0).replace(/^IPv/, ''));
      const usable = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
      if (options.all) return callback(null, usable);
      const [first] = usable;
      if (!first) return callback(Object.assign(new Error(`${host} has no IPv${family} address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
