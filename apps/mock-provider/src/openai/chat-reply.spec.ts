import { mockChatReply } from './chat-reply';
import { ChatCompletionRequest } from './openai-requests';

const request = (overrides: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hello there' }],
  ...overrides,
});

describe(mockChatReply.name, () => {
  it('gives the same reply to the same request', () => {
    const first = mockChatReply(request());

    const second = mockChatReply(request());

    expect(second).toEqual(first);
  });

  it('names the message count and model, and streams the content in its pieces', () => {
    const reply = mockChatReply(request({ model: 'deepseek-chat' }));

    expect(reply.content).toMatch(/^Mock reply to 1 message\(s\) for deepseek-chat: /);
    expect(reply.pieces.join('')).toBe(reply.content);
    expect(reply.completionTokens).toBe(reply.pieces.length);
    expect(reply.finishReason).toBe('stop');
  });

  it('picks different words for different messages', () => {
    const contents = ['a', 'b', 'c', 'd', 'e'].map(
      (text) => mockChatReply(request({ messages: [{ role: 'user', content: text }] })).content,
    );

    expect(new Set(contents).size).toBeGreaterThan(1);
  });

  it('counts text parts of multi-part content as prompt text', () => {
    const plain = mockChatReply(request({ messages: [{ role: 'user', content: 'abcdefgh' }] }));

    const parts = mockChatReply(
      request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'abcdefgh' }] }] }),
    );

    expect(parts.promptTokens).toBe(plain.promptTokens);
  });

  it.each([
    ['max_tokens', { max_tokens: 3 }],
    ['max_completion_tokens', { max_completion_tokens: 3 }],
  ])('stops at %s with finish reason length', (_name, limit) => {
    const reply = mockChatReply(request(limit));

    expect(reply.pieces).toHaveLength(3);
    expect(reply.completionTokens).toBe(3);
    expect(reply.finishReason).toBe('length');
    expect(reply.content).toBe('Mock reply to');
  });
});
