import { lastTopLevelMember } from './json-tail';

function tail(text: string): { value: unknown } | undefined {
  return lastTopLevelMember(Buffer.from(text), 'usage');
}

const ANSWER = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi "usage": {"x":1}' } }],
  usage: { prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 },
  system_fingerprint: 'fp_1',
};

describe(lastTopLevelMember.name, () => {
  it('reads the top-level member from the tail of an answer, compact or indented', () => {
    for (const text of [JSON.stringify(ANSWER), JSON.stringify(ANSWER, null, 2) + '\n']) {
      expect(tail(text)).toEqual({ value: ANSWER.usage });
    }
  });

  it('reads it wherever it sits among the top-level members', () => {
    const { usage, ...rest } = ANSWER;

    expect(tail(JSON.stringify({ usage, ...rest }))).toEqual({ value: usage });
    expect(tail(JSON.stringify({ ...rest, usage }))).toEqual({ value: usage });
  });

  it('takes the last of repeated keys, as JSON.parse does', () => {
    const text = '{"usage":{"prompt_tokens":1},"id":"a","usage":{"prompt_tokens":2}}';

    expect(tail(text)).toEqual({ value: (JSON.parse(text) as { usage: unknown }).usage });
  });

  it('reads scalar values', () => {
    expect(tail('{"id":"a","usage":null}')).toEqual({ value: null });
    expect(tail('{"usage": 42 ,"id":"a"}')).toEqual({ value: 42 });
  });

  it.each([
    ['nested last', '{"id":"a","choices":[{"usage":{"prompt_tokens":1}}]}'],
    ['nested in an object', '{"id":"a","meta":{"usage":{"prompt_tokens":1}}}'],
    ['nested after the top-level one', '{"usage":{"p":1},"meta":{"usage":{"p":2}}}'],
    ['inside a string', '{"content":"say \\"usage\\": {\\"p\\": 1}"}'],
    ['a top-level array', '[{"usage":{"p":1}}]'],
    ['cut short', '{"id":"a","usage":{"prompt_tokens":1}'],
    ['cut inside the value', '{"id":"a","usage":{"prompt_tokens":1'],
    ['followed by garbage', '{"id":"a","usage":{"p":1}} trailing'],
    ['a key, not a value', '{"id":"a","usage"}'],
    ['an unterminated string after it', '{"usage":{"p":1},"id":"a}'],
    ['an empty value', '{"usage":,"id":"a"}'],
    ['not JSON at all', 'usage'],
    ['no such key', '{"id":"a"}'],
  ])('declines what it cannot show to be a top-level member: %s', (_, text) => {
    expect(tail(text)).toBeUndefined();
  });

  it('passes over the text of the key quoted in later strings and values', () => {
    const text = JSON.stringify({
      usage: { p: 1 },
      note: 'the "usage": field',
      kind: 'usage',
      escaped: 'x\\"usage"',
    });

    expect(tail(text)).toEqual({ value: { p: 1 } });
  });

  it('skips strings that end in runs of backslashes', () => {
    const value = { content: 'a\\', other: '\\\\"', usage: { p: 3 }, last: 'x\\"y\\\\' };

    expect(tail(JSON.stringify(value))).toEqual({ value: { p: 3 } });
  });

  it('agrees with JSON.parse on generated answers whenever it answers at all', () => {
    const random = seeded(7);
    let answered = 0;
    for (let round = 0; round < 3_000; round++) {
      const text = JSON.stringify(randomAnswer(random), null, random() < 0.3 ? 1 : 0);
      const parsed = JSON.parse(text) as Record<string, unknown>;

      const found = tail(text);

      // Declining is always safe (the caller parses the whole text); an answer must be right.
      if (found) {
        answered++;
        expect(found.value).toEqual(parsed.usage);
      }
    }
    expect(answered).toBeGreaterThan(1_500);
  });
});

function randomAnswer(random: () => number): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  const members = 1 + Math.floor(random() * 5);
  const usageAt = random() < 0.9 ? Math.floor(random() * (members + 1)) : -1;
  for (let index = 0; index <= members; index++) {
    if (index === usageAt) answer.usage = randomValue(random, 2);
    else answer[`k${index}`] = randomValue(random, 3);
  }

  return answer;
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth === 0 || pick < 0.3) return randomString(random);
  if (pick < 0.4) return Math.floor(random() * 1e6) / 100;
  if (pick < 0.45) return [true, false, null][Math.floor(random() * 3)];
  if (pick < 0.7) return [randomValue(random, depth - 1), randomValue(random, depth - 1)];
  const object: Record<string, unknown> = { a: randomValue(random, depth - 1) };
  if (random() < 0.3) object.usage = randomValue(random, depth - 1);

  return object;
}

function randomString(random: () => number): string {
  const pieces = ['x', '"', '\\', 'usage', '"usage":', '{', '}', ']', ',', ' ', 'é', '\n'];
  let text = '';
  for (let index = Math.floor(random() * 6); index > 0; index--) {
    text += pieces[Math.floor(random() * pieces.length)];
  }

  return text;
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function seeded(seed: number): () => number {
  let state = seed;

  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
