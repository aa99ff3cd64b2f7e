import { MockConversation } from './mock-conversation';
import { mockTurn } from './mock-turn';

const conversation = (fields: Partial<MockConversation> = {}): MockConversation => ({
  model: 'm',
  messageCount: 1,
  promptText: 'Hello there',
  maxTokens: null,
  stopSequences: [],
  tools: [],
  toolChoice: { kind: 'auto' },
  parallelToolCalls: true,
  toolResults: [],
  endsWithUser: true,
  json: null,
  ...fields,
});
const TOOLS = [
  { name: 'a', schema: { type: 'object', properties: { q: { type: 'string' } } } },
  { name: 'b', schema: { type: 'object', properties: { n: { type: 'integer' } } } },
  { name: 'c', schema: { type: 'object' } },
];

describe(mockTurn.name, () => {
  it('answers the same conversation the same way', () => {
    expect(mockTurn(conversation())).toEqual(mockTurn(conversation()));
  });

  it('calls the first two tools in parallel with arguments fitting their schemas', () => {
    const turn = mockTurn(conversation({ tools: TOOLS }));

    expect(turn.kind).toBe('tools');
    const calls = turn.kind === 'tools' ? turn.calls : [];
    expect(calls.map((call) => call.name)).toEqual(['a', 'b']);
    expect(calls[0].arguments).toEqual({ q: expect.stringMatching(/^q-[a-z]+$/) });
    expect(calls[1].arguments).toEqual({ n: expect.any(Number) });
    expect(calls[0].json).toBe(JSON.stringify(calls[0].arguments));
    expect(calls[0].id).not.toBe(calls[1].id);
  });

  it.each([
    ['one tool when parallel calls are off', { parallelToolCalls: false }, ['a']],
    ['the named tool', { toolChoice: { kind: 'named', name: 'c' } as const }, ['c']],
  ])('calls %s', (_name, fields, names) => {
    const turn = mockTurn(conversation({ tools: TOOLS, ...fields }));

    expect(turn.kind === 'tools' && turn.calls.map((call) => call.name)).toEqual(names);
  });

  it.each([
    ['tool choice is none', { toolChoice: { kind: 'none' } as const }],
    ['the last turn is not the user’s', { endsWithUser: false }],
  ])('talks instead of calling tools when %s', (_name, fields) => {
    expect(mockTurn(conversation({ tools: TOOLS, ...fields })).kind).toBe('text');
  });

  it('mentions each tool result in a follow-up', () => {
    const turn = mockTurn(
      conversation({
        tools: TOOLS,
        toolResults: [
          { name: 'a', content: 'one' },
          { name: null, content: 'two' },
        ],
      }),
    );

    expect(turn).toMatchObject({
      kind: 'text',
      content: 'Mock reply using 2 tool result(s) for m: a → one; tool → two.',
    });
  });

  it('stops before the earliest stop sequence', () => {
    const turn = mockTurn(conversation({ stopSequences: [' for', ' to'] }));

    expect(turn).toMatchObject({
      kind: 'text',
      content: 'Mock reply',
      stop: 'stop_sequence',
      stopSequence: ' to',
    });
  });

  it('prefers the length limit when it comes before the stop sequence', () => {
    const turn = mockTurn(conversation({ stopSequences: [' for'], maxTokens: 2 }));

    expect(turn).toMatchObject({
      kind: 'text',
      content: 'Mock reply',
      stop: 'length',
      stopSequence: null,
      completionTokens: 2,
    });
  });

  it('answers JSON mode with JSON, and a schema with JSON that fits it', () => {
    const plain = mockTurn(conversation({ json: 'any' }));
    const shaped = mockTurn(
      conversation({ json: { type: 'object', properties: { ok: { type: 'boolean' } } } }),
    );

    expect(JSON.parse(plain.kind === 'text' ? plain.content : '')).toEqual({
      reply: expect.any(String),
    });
    expect(JSON.parse(shaped.kind === 'text' ? shaped.content : '')).toEqual({
      ok: expect.any(Boolean),
    });
    expect(shaped.kind === 'text' && shaped.pieces.join('')).toBe(
      shaped.kind === 'text' && shaped.content,
    );
  });
});
