import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { silentLogger } from '../test/stream-testing';
import { DiskSpool } from './disk-spool';
import { SpoolLockedException } from './spool-lock';

describe(DiskSpool.name, () => {
  let dir: string;
  const spools: DiskSpool[] = [];

  const spool = async (maxBytes = 1_000_000, segmentBytes?: number): Promise<DiskSpool> => {
    const opened = new DiskSpool({ dir, maxBytes, segmentBytes, logger: silentLogger });
    await opened.open();
    spools.push(opened);

    return opened;
  };

  const drainAll = async (opened: DiskSpool): Promise<string[]> => {
    const seen: string[] = [];
    await opened.drain(async (payloads) => void seen.push(...payloads));

    return seen;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xai-spool-test-'));
  });

  afterEach(async () => {
    await Promise.all(spools.splice(0).map((opened) => opened.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('replays what it was given, in order, and is empty afterwards', async () => {
    const opened = await spool();
    await opened.append(['{"n":1}', '{"n":2}']);
    await opened.append(['{"n":3}']);

    const replayed = await drainAll(opened);

    expect(replayed).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(opened.hasData()).toBe(false);
    expect(await readdir(dir)).toEqual(['spool.lock']);
  });

  it('refuses an append that would pass the bound and writes none of it', async () => {
    const opened = await spool(100);
    const first = await opened.append(['x'.repeat(40)]);

    const second = await opened.append(['y'.repeat(40), 'z'.repeat(40)]);

    expect([first, second]).toEqual([true, false]);
    expect(await drainAll(opened)).toEqual(['x'.repeat(40)]);
  });

  it('keeps events across a restart of the process', async () => {
    const first = await spool();
    await first.append(['{"n":1}']);
    await first.close();
    spools.length = 0;

    const second = await spool();

    expect(second.bytes).toBeGreaterThan(0);
    expect(await drainAll(second)).toEqual(['{"n":1}']);
  });

  it('keeps a segment whose replay failed, for the next drain', async () => {
    const opened = await spool();
    await opened.append(['{"n":1}']);

    const failed = opened.drain(async () => {
      throw new Error('redis went away');
    });

    await expect(failed).rejects.toThrow('redis went away');
    expect(await drainAll(opened)).toEqual(['{"n":1}']);
  });

  it('skips a line damaged on disk or cut short by a crash, and replays the rest', async () => {
    const opened = await spool(1_000_000, 1);
    await opened.append(['{"n":1}']);
    await opened.append(['{"n":2}']);
    const [segment] = (await readdir(dir)).filter((name) => name.startsWith('spool-')).sort();
    const text = await readFile(join(dir, segment), 'utf8');
    await writeFile(join(dir, segment), `${text.replace('"n":1', '"n":9')}0000`);

    const replayed = await drainAll(opened);

    expect(replayed).toEqual(['{"n":2}']);
  });

  it('refuses a folder another live process holds', async () => {
    await writeFile(join(dir, 'spool.lock'), String(process.ppid));

    const opening = new DiskSpool({ dir, maxBytes: 1000, logger: silentLogger }).open();

    await expect(opening).rejects.toBeInstanceOf(SpoolLockedException);
  });

  it('takes over a folder whose holder is gone', async () => {
    await writeFile(join(dir, 'spool.lock'), '2147483646');

    const opened = await spool();

    expect(await readFile(join(dir, 'spool.lock'), 'utf8')).toBe(String(process.pid));
    expect(opened.hasData()).toBe(false);
  });
});
