/*
 * Provider streams shaped like recorded ones, as the raw SSE text each provider sends: a
 * short text, then two parallel tool calls, then usage. Used by the stream translators' specs.
 */

const anthropicEvent = (data: Record<string, unknown>): string =>
  `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

const dataEvent = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

// Gemini frames its events with CRLF line ends.
const geminiEvent = (data: unknown): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

/** Anthropic Messages: text block, two tool_use blocks, usage with cache reads. */
export const ANTHROPIC_PARALLEL_TOOLS_SSE = [
  anthropicEvent({
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x-2025',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 50,
        cache_read_input_tokens: 30,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
    },
  }),
  anthropicEvent({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  }),
  anthropicEvent({ type: 'ping' }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text: 'Checking' },
  }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text: ' now ☀️.' },
  }),
  anthropicEvent({ type: 'content_block_stop', index: 0 }),
  anthropicEvent({
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} },
  }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '' },
  }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"city": ' },
  }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
  }),
  anthropicEvent({ type: 'content_block_stop', index: 1 }),
  anthropicEvent({
    type: 'content_block_start',
    index: 2,
    content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} },
  }),
  anthropicEvent({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '{}' },
  }),
  anthropicEvent({ type: 'content_block_stop', index: 2 }),
  anthropicEvent({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 42 },
  }),
  anthropicEvent({ type: 'message_stop' }),
].join('');

const openAiChunk = (
  delta: Record<string, unknown>,
  finish: string | null = null,
  usage?: unknown,
) =>
  dataEvent({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-x',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(usage === undefined ? {} : { usage }),
  });

/** OpenAI chat completions: text, two tool calls streamed one after the other, usage chunk. */
export const OPENAI_PARALLEL_TOOLS_SSE = [
  openAiChunk({ role: 'assistant', content: '' }),
  openAiChunk({ content: 'Checking' }),
  openAiChunk({ content: ' now ☀️.' }),
  openAiChunk({
    tool_calls: [
      {
        index: 0,
        id: 'call_a',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
    ],
  }),
  openAiChunk({ tool_calls: [{ index: 0, function: { arguments: '{"city": ' } }] }),
  openAiChunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  openAiChunk({
    tool_calls: [
      { index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
    ],
  }),
  openAiChunk({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
  openAiChunk({}, 'tool_calls'),
  dataEvent({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-x',
    choices: [],
    usage: {
      prompt_tokens: 80,
      completion_tokens: 42,
      total_tokens: 122,
      prompt_tokens_details: { cached_tokens: 30 },
    },
  }),
  'data: [DONE]\n\n',
].join('');

/** Gemini streamGenerateContent?alt=sse: text pieces, then two whole function calls. */
export const GEMINI_PARALLEL_TOOLS_SSE = [
  geminiEvent({
    candidates: [{ content: { role: 'model', parts: [{ text: 'Checking' }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 80, totalTokenCount: 80 },
    modelVersion: 'gemini-x-001',
    responseId: 'resp-1',
  }),
  geminiEvent({
    candidates: [{ content: { role: 'model', parts: [{ text: ' now ☀️.' }] }, index: 0 }],
    modelVersion: 'gemini-x-001',
    responseId: 'resp-1',
  }),
  geminiEvent({
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'c2ln+/==',
            },
            { functionCall: { name: 'get_time', args: {} } },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 80,
      candidatesTokenCount: 30,
      thoughtsTokenCount: 12,
      cachedContentTokenCount: 30,
      totalTokenCount: 122,
    },
    modelVersion: 'gemini-x-001',
    responseId: 'resp-1',
  }),
].join('');
