import { inferProviderType, isProviderType } from './provider-type';

describe(inferProviderType.name, () => {
  it.each([
    ['https://api.anthropic.com', 'anthropic'],
    ['https://API.Anthropic.com/v1/', 'anthropic'],
    ['https://generativelanguage.googleapis.com/v1beta', 'gemini'],
    ['https://my-resource.openai.azure.com/openai', 'azure'],
    ['https://api.openai.com/v1', 'openai'],
    ['https://api.deepseek.com', 'openai'],
    ['http://127.0.0.1:11434/v1', 'openai'],
    ['https://openai.azure.com', 'openai'],
    ['https://anthropic.com.evil.example', 'openai'],
    ['not a url', 'openai'],
  ])('infers the type of %s as %s', (baseUrl, expected) => {
    const type = inferProviderType(baseUrl);

    expect(type).toBe(expected);
  });
});

describe(isProviderType.name, () => {
  it.each(['openai', 'anthropic', 'gemini', 'azure'])('accepts %s', (value) => {
    expect(isProviderType(value)).toBe(true);
  });

  it.each(['', 'OpenAI', 'bedrock', 'toString'])('refuses %j', (value) => {
    expect(isProviderType(value)).toBe(false);
  });
});
