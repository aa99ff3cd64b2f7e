import { BenchUsageException, parseBenchArgs } from './bench-args';
import { QUICK_SETTINGS } from './bench-settings';

describe('parseBenchArgs', () => {
  it('gives the quick settings with no arguments', () => {
    expect(parseBenchArgs([])).toEqual(QUICK_SETTINGS);
  });

  it('reads the soak duration and turns the peer and the profile off', () => {
    const settings = parseBenchArgs(['--soak-minutes', '10', '--no-peer', '--no-profile']);

    expect(settings).toMatchObject({ soakMinutes: 10, withPeer: false, profile: false });
  });

  it('sets every per-round duration from --seconds, written with an equals sign', () => {
    const settings = parseBenchArgs(['--seconds=8']);

    expect(settings).toMatchObject({ latencySeconds: 8, throughputSeconds: 8, openLoopSeconds: 8 });
  });

  it('refuses an unknown option and a missing or non-positive value', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageException);
    expect(() => parseBenchArgs(['--rounds'])).toThrow(BenchUsageException);
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(BenchUsageException);
  });

  it('answers help', () => {
    expect(parseBenchArgs(['--soak-minutes', '3', '-h'])).toBe('help');
  });
});
