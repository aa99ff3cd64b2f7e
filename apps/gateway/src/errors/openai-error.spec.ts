import { GatewayErrorCode } from './gateway-error-code';
import { GatewayException } from './gateway.exception';
import { toOpenAiError } from './openai-error';

describe('toOpenAiError', () => {
  it('renders a domain exception in OpenAI shape with the request id', () => {
    const error = new GatewayException(GatewayErrorCode.InvalidApiKey, 'Invalid API key.');

    const { status, body } = toOpenAiError(error, 'req_1');

    expect(status).toBe(401);
    expect(body).toEqual({
      error: {
        message: 'Invalid API key.',
        type: 'authentication_error',
        code: 'invalid_api_key',
        param: null,
        request_id: 'req_1',
      },
    });
  });

  it('never passes on the text of an unexpected error', () => {
    const { status, body } = toOpenAiError(new Error('password=hunter2 at db.ts:12'), 'req_2');

    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
