import { z } from 'zod';

import {
  ConfigValidationException,
  env,
  EnvVarSpec,
  loadConfig,
  MAX_TIMER_MS,
} from './load-config';

const SPEC = {
  HTTP_PORT: { schema: env.port(8080, 'Port of the public HTTP API') },
  RETRIES: { schema: env.positiveInt(3, 'How many times to retry') },
  TOKEN: { schema: env.required('A secret token'), sensitive: true },
};

/** The problems `loadConfig` reports for `schema` given `value`; none when it is accepted. */
function problemsOf(schema: EnvVarSpec['schema'], value: string): string[] {
  try {
    loadConfig({ VALUE: { schema } }, { VALUE: value });
  } catch (error) {
    if (error instanceof ConfigValidationException) return error.problems;
    throw error;
  }

  return [];
}

const NUMBERS = {
  positiveInt: env.positiveInt(1, 'a count'),
  nonNegativeInt: env.nonNegativeInt(1, 'a count; 0: off'),
  milliseconds: env.milliseconds(1, 'a delay'),
  millisecondsOrZero: env.millisecondsOrZero(1, 'a timeout; 0: none'),
  atLeast: env.atLeast(1024, 2048, 'a spool size'),
};

describe('env numbers', () => {
  const longest = String(MAX_TIMER_MS);
  const tooLong = String(MAX_TIMER_MS + 1);

  it.each<[keyof typeof NUMBERS, string]>([
    ['positiveInt', '0'],
    ['positiveInt', '-1'],
    ['positiveInt', '1.5'],
    ['positiveInt', '99999999999999999999'],
    ['nonNegativeInt', '-1'],
    ['milliseconds', '0'],
    ['milliseconds', tooLong],
    ['millisecondsOrZero', '-1'],
    ['millisecondsOrZero', tooLong],
    ['positiveInt', '0x10'],
    ['positiveInt', '1e3'],
    ['positiveInt', '0b11'],
    ['milliseconds', 'Infinity'],
    ['atLeast', '1023'],
    ['atLeast', '1e300'],
  ])('env.%s refuses %s, naming the variable', (helper, value) => {
    expect(problemsOf(NUMBERS[helper], value)).toEqual([expect.stringMatching(/^VALUE \(/)]);
  });

  it.each<[keyof typeof NUMBERS, string]>([
    ['positiveInt', '1'],
    ['nonNegativeInt', '0'],
    ['milliseconds', '1'],
    ['milliseconds', longest],
    ['millisecondsOrZero', '0'],
    ['millisecondsOrZero', longest],
    ['positiveInt', '+7'],
    ['positiveInt', '007'],
    ['atLeast', '1024'],
  ])('env.%s accepts %s', (helper, value) => {
    expect(problemsOf(NUMBERS[helper], value)).toEqual([]);
  });
});

describe(loadConfig.name, () => {
  it.each(['0x1f90', '1e3', '0b11', '0o17', 'Infinity', '.5', '1_000'])(
    'refuses a number not written in decimal digits (%s), for any number setting',
    (value) => {
      const port = env.port(8080, 'a port');
      const ratio = z.coerce.number().min(0).default(1).describe('a ratio');

      for (const schema of [port, ratio]) {
        expect(problemsOf(schema, value)).toEqual([
          expect.stringMatching(/^VALUE \(.+\): must be a number in decimal digits$/),
        ]);
      }
    },
  );

  it.each([
    ['+8080', 8080],
    ['0.25', 0.25],
  ])('reads %s as a number', (value, number) => {
    const schema = z.coerce.number().default(1);

    expect(loadConfig({ VALUE: { schema } }, { VALUE: value })).toEqual({ VALUE: number });
  });

  it.each(['', ' ', '\t', ' \n '])(
    'reads a variable that is empty or only blanks (%j) as unset: its default',
    (blank) => {
      const config = loadConfig(SPEC, { HTTP_PORT: blank, RETRIES: blank, TOKEN: 't' });

      expect(config).toEqual({ HTTP_PORT: 8080, RETRIES: 3, TOKEN: 't' });
    },
  );

  it('reports a blank required variable as required', () => {
    expect(() => loadConfig(SPEC, { TOKEN: '   ' })).toThrow(
      new ConfigValidationException(['TOKEN (A secret token): required']),
    );
  });

  it('removes the blanks around a value, a secret’s too', () => {
    const config = loadConfig(
      { ...SPEC, HOST: { schema: env.string('127.0.0.1', 'Interface to listen on') } },
      { HTTP_PORT: ' 9090 ', HOST: ' \t10.0.0.1\n', TOKEN: ' padded secret\n' },
    );

    expect(config).toEqual({
      HTTP_PORT: 9090,
      RETRIES: 3,
      HOST: '10.0.0.1',
      TOKEN: 'padded secret',
    });
  });

  it('keeps the value of a verbatim variable as given, blanks around it included', () => {
    const spec = { PEPPER: { schema: env.required('A pepper'), sensitive: true, verbatim: true } };

    expect(loadConfig(spec, { PEPPER: ' padded pepper\n' })).toEqual({
      PEPPER: ' padded pepper\n',
    });
  });

  it('refuses a value that is not a number, naming the variable, never the value', () => {
    try {
      loadConfig(SPEC, { RETRIES: 'three', TOKEN: 'hunter2' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationException);
      const { problems } = error as ConfigValidationException;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^RETRIES \(How many times to retry\): /);
      expect(problems[0]).not.toContain('hunter2');
    }
  });
});
