import { parseStartArgs, UsageException } from './cli-args';

describe('parseStartArgs', () => {
  it('reads start with no options', () => {
    expect(parseStartArgs(['start'])).toEqual({ command: 'start', echoLogs: false });
  });

  it('reads every option, spaced or with =', () => {
    const args = parseStartArgs(['start', '--port', '9000', '--logs', '--data-dir=/tmp/x']);

    expect(args).toEqual({ command: 'start', port: 9000, echoLogs: true, dataDir: '/tmp/x' });
  });

  it('answers help for --help', () => {
    expect(parseStartArgs(['start', '--help']).command).toBe('help');
  });

  it.each([
    [['start', '--port', 'eighty']],
    [['start', '--port', '70000']],
    [['start', '--port']],
    [['start', '--verbose']],
    [['stop']],
    [[]],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseStartArgs(argv)).toThrow(UsageException);
  });
});
