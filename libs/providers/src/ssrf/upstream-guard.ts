import { DomainException } from '@xai/common';
import * as dns from 'node:dns';
import { isIP, LookupFunction } from 'node:net';

import { ProvidersErrorCode } from '../providers-error-code';
import { classifyAddress, ForbiddenAddressRange } from './address-classifier';

/** Why an upstream URL was refused. */
export type UpstreamRefusalReason =
  'invalid-url' | 'unsupported-scheme' | 'credentials-in-url' | ForbiddenAddressRange;

/**
 * Thrown (or passed to a socket's lookup callback) when a provider URL may not be called. The
 * message names the host and the kind of address, never the full URL, which could carry a key.
 */
export class UpstreamRefusedException extends DomainException<ProvidersErrorCode.UpstreamRefused> {
  constructor(
    readonly reason: UpstreamRefusalReason,
    message: string,
  ) {
    super(ProvidersErrorCode.UpstreamRefused, message);
  }
}

/** Resolves a host name to every address it has. */
export type ResolveAll = (hostname: string) => Promise<string[]>;

/** Options of {@link assertUpstreamAllowed}. */
export interface UpstreamGuardOptions {
  /** Allow loopback, private and link-local upstreams (local model servers, the mock provider). */
  allowPrivate: boolean;
  /** How host names are resolved; the system resolver (`dns.lookup`, all addresses) by default. */
  resolveAll?: ResolveAll;
}

/**
 * Checks a provider URL when it is saved: only `http:` and `https:`, no user info, and (unless
 * `allowPrivate`) no host that is, or resolves to, a loopback, private, carrier-grade NAT,
 * link-local (cloud metadata), unspecified, multicast or reserved address, IPv4-mapped IPv6
 * forms included. Every resolved address must pass. A host that does not resolve now passes:
 * nothing can be connected to until it does, and {@link guardedLookup} judges it then.
 *
 * @throws UpstreamRefusedException naming the reason.
 */
export async function assertUpstreamAllowed(
  url: string,
  options: UpstreamGuardOptions,
): Promise<void> {
  const host = parseUpstreamHost(url);
  if (options.allowPrivate) return;

  const addresses = isIP(host) ? [host] : await resolveOrNothing(host, options.resolveAll);
  for (const address of addresses) assertAddressAllowed(host, address);
}

/**
 * A `dns.lookup`-compatible function that refuses, at connect time, a host resolving to a
 * forbidden address (see {@link assertUpstreamAllowed}), so a DNS answer that changes after the
 * URL was saved (DNS rebinding) is still caught. Pass it to undici as
 * `new Agent({ connect: { lookup: guardedLookup(allowPrivate) } })`. Sockets skip the lookup
 * for IP-literal hosts, so check those with {@link assertUpstreamAllowed} before the call.
 *
 * @param lookup the resolver to guard; `dns.lookup` by default.
 */
export function guardedLookup(
  allowPrivate: boolean,
  lookup: LookupFunction = dns.lookup,
): LookupFunction {
  if (allowPrivate) return lookup;

  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);

        return;
      }
      const addresses = typeof address === 'string' ? [address] : address.map((a) => a.address);
      const refusal = firstRefusal(hostname, addresses);
      if (refusal) callback(refusal, typeof address === 'string' ? '' : []);
      else callback(null, address, family);
    });
  };
}

function parseUpstreamHost(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UpstreamRefusedException('invalid-url', 'The provider URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UpstreamRefusedException(
      'unsupported-scheme',
      `The provider URL must use http or https, not ${parsed.protocol.replace(/:$/, '')}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UpstreamRefusedException(
      'credentials-in-url',
      'The provider URL must not carry a user name or password',
    );
  }

  return parsed.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function resolveOrNothing(host: string, resolveAll = systemResolveAll): Promise<string[]> {
  try {
    return await resolveAll(host);
  } catch {
    return [];
  }
}

async function systemResolveAll(hostname: string): Promise<string[]> {
  const answers = await dns.promises.lookup(hostname, { all: true });

  return answers.map((answer) => answer.address);
}

function assertAddressAllowed(host: string, address: string): void {
  const refusal = firstRefusal(host, [address]);
  if (refusal) throw refusal;
}

function firstRefusal(host: string, addresses: string[]): UpstreamRefusedException | null {
  for (const address of addresses) {
    const range = classifyAddress(address);
    if (range !== null) return refusalFor(host, address, range);
  }

  return null;
}

function refusalFor(
  host: string,
  address: string,
  range: ForbiddenAddressRange,
): UpstreamRefusedException {
  const where = host === address ? address : `${host} (${address})`;
  const kind = address === '169.254.169.254' ? 'cloud metadata' : range;

  return new UpstreamRefusedException(
    range,
    `The provider host ${where} is a ${kind} address; private upstreams are not allowed here`,
  );
}
