import { cpuTimeMs } from './cpu-time';
import { rssKib } from './rss';

const onLinux = process.platform === 'linux' ? it : it.skip;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);

  return (used.user + used.system) / 1000;
}

describe('cpuTimeMs', () => {
  onLinux('counts the CPU time this process spends', async () => {
    const before = await cpuTimeMs(process.pid);
    // Spin until Node itself counts 100 ms of CPU (bounded), however busy the machine is.
    const start = process.cpuUsage();
    const giveUpAt = Date.now() + 10_000;
    while (cpuMsSince(start) < 100 && Date.now() < giveUpAt);

    const after = await cpuTimeMs(process.pid);

    expect((after ?? 0) - (before ?? 0)).toBeGreaterThanOrEqual(80);
  });

  it('knows nothing of a process that does not exist', async () => {
    expect(await cpuTimeMs(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('rssKib', () => {
  onLinux("reads this process's resident memory", async () => {
    const rss = await rssKib(process.pid);

    expect(rss).toBeGreaterThan(1024);
  });
});
