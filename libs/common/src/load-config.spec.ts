import { ConfigValidationException, env, loadConfig } from './load-config';

const SPEC = {
  HTTP_PORT: { schema: env.port(8080, 'Port of the public HTTP API') },
  RETRIES: { schema: env.int(3, 'How many times to retry') },
  TOKEN: { schema: env.required('A secret token'), sensitive: true },
};

describe(loadConfig.name, () => {
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

  it('keeps the value of a variable that has more than blanks, as given', () => {
    const config = loadConfig(SPEC, { HTTP_PORT: ' 9090 ', TOKEN: ' padded secret ' });

    expect(config).toMatchObject({ HTTP_PORT: 9090, TOKEN: ' padded secret ' });
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
