import { createServer, Server } from 'node:http';
import { AddressInfo, LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

import {
  assertUpstreamAllowed,
  guardedLookup,
  ResolveAll,
  UpstreamRefusedException,
} from './upstream-guard';

const resolvingTo =
  (...addresses: string[]): ResolveAll =>
  async () =>
    addresses;

async function refusalOf(promise: Promise<unknown>): Promise<UpstreamRefusedException> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof UpstreamRefusedException)) throw new Error('expected a refusal');

  return error;
}

describe(assertUpstreamAllowed.name, () => {
  it.each([
    ['http://127.0.0.1:9090/v1', 'loopback'],
    ['http://[::1]/v1', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['https://10.1.2.3', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://[fd00::5]:8000', 'private'],
    ['http://0.0.0.0:80', 'unspecified'],
  ])('refuses the IP-literal URL %s as %s', async (url, reason) => {
    const refusal = await refusalOf(assertUpstreamAllowed(url, { allowPrivate: false }));

    expect(refusal.reason).toBe(reason);
  });

  it('refuses a host name that resolves to a loopback address', async () => {
    const refusal = await refusalOf(
      assertUpstreamAllowed('http://localhost:9090', { allowPrivate: false }),
    );

    expect(refusal.reason).toBe('loopback');
    expect(refusal.message).toContain('localhost');
  });

  it('refuses a host when any one of its addresses is forbidden', async () => {
    const resolveAll = resolvingTo('93.184.216.34', '10.0.0.7');

    const refusal = await refusalOf(
      assertUpstreamAllowed('https://api.example.com', { allowPrivate: false, resolveAll }),
    );

    expect(refusal.reason).toBe('private');
  });

  it('names cloud metadata when the host resolves to it', async () => {
    const resolveAll = resolvingTo('169.254.169.254');

    const refusal = await refusalOf(
      assertUpstreamAllowed('https://metadata.example', { allowPrivate: false, resolveAll }),
    );

    expect(refusal.message).toContain('cloud metadata');
  });

  it('accepts a host whose addresses are all public', async () => {
    const resolveAll = resolvingTo('93.184.216.34', '2606:2800:220:1::1');

    const check = assertUpstreamAllowed('https://api.example.com/v1', {
      allowPrivate: false,
      resolveAll,
    });

    await expect(check).resolves.toBeUndefined();
  });

  it('accepts a host that does not resolve yet, leaving it to the connect-time guard', async () => {
    const resolveAll: ResolveAll = () => Promise.reject(new Error('ENOTFOUND'));

    const check = assertUpstreamAllowed('https://later.example', {
      allowPrivate: false,
      resolveAll,
    });

    await expect(check).resolves.toBeUndefined();
  });

  it('accepts private upstreams when the operator allows them', async () => {
    const check = assertUpstreamAllowed('http://127.0.0.1:11434', { allowPrivate: true });

    await expect(check).resolves.toBeUndefined();
  });

  it.each([
    ['ftp://files.example/', 'unsupported-scheme'],
    ['file:///etc/passwd', 'unsupported-scheme'],
    ['https://user:secret@api.example.com', 'credentials-in-url'],
    ['https://user@api.example.com', 'credentials-in-url'],
    ['api.example.com', 'invalid-url'],
  ])('refuses %s even when private upstreams are allowed (%s)', async (url, reason) => {
    const refusal = await refusalOf(assertUpstreamAllowed(url, { allowPrivate: true }));

    expect(refusal.reason).toBe(reason);
    expect(refusal.message).not.toContain('secret');
  });
});

describe(guardedLookup.name, () => {
  const fakeLookup =
    (address: string, family: number): LookupFunction =>
    (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };

  function lookupWith(
    lookup: LookupFunction,
    all: boolean,
  ): Promise<{ error: NodeJS.ErrnoException | null; address: unknown }> {
    return new Promise((resolve) => {
      lookup('upstream.example', { all }, (error, address) => resolve({ error, address }));
    });
  }

  it.each([true, false])('refuses a forbidden answer (all: %s)', async (all) => {
    const lookup = guardedLookup(false, fakeLookup('169.254.169.254', 4));

    const { error } = await lookupWith(lookup, all);

    expect(error).toBeInstanceOf(UpstreamRefusedException);
  });

  it('refuses an IPv4-mapped IPv6 answer pointing at a private address', async () => {
    const lookup = guardedLookup(false, fakeLookup('::ffff:192.168.0.10', 6));

    const { error } = await lookupWith(lookup, true);

    expect(error).toBeInstanceOf(UpstreamRefusedException);
  });

  it('passes a public answer through unchanged', async () => {
    const lookup = guardedLookup(false, fakeLookup('93.184.216.34', 4));

    const { error, address } = await lookupWith(lookup, true);

    expect(error).toBeNull();
    expect(address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('returns the resolver itself when private upstreams are allowed', () => {
    const resolver = fakeLookup('127.0.0.1', 4);

    const lookup = guardedLookup(true, resolver);

    expect(lookup).toBe(resolver);
  });

  describe('with undici', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((_req, res) => res.end('reached'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('stops a connection to a host that resolves to loopback', async () => {
      const dispatcher = new Agent({ connect: { lookup: guardedLookup(false) } });

      const error: unknown = await request(`http://localhost:${port}/`, { dispatcher }).then(
        () => null,
        (reason: unknown) => reason,
      );
      await dispatcher.close();

      expect(error).toBeInstanceOf(UpstreamRefusedException);
    });

    it('connects when private upstreams are allowed', async () => {
      const dispatcher = new Agent({ connect: { lookup: guardedLookup(true) } });

      const response = await request(`http://localhost:${port}/`, { dispatcher });
      const text = await response.body.text();
      await dispatcher.close();

      expect(text).toBe('reached');
    });
  });
});
