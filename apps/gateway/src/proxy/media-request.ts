import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { findTopLevelValues, replaceTopLevelValue } from './json-body';
import { MultipartUpload, uploadBody, uploadModel } from './multipart-upload';
import { parseOpenAiRequest } from './openai-request';
import { ReplayableBody } from './upstream.client';

/** OpenAI's image and audio endpoints, passed through to OpenAI-type providers. */
export type MediaEndpoint =
  | '/images/generations'
  | '/images/edits'
  | '/images/variations'
  | '/audio/speech'
  | '/audio/transcriptions'
  | '/audio/translations';

/** Endpoints whose body is a JSON object; the others take `multipart/form-data` uploads. */
const JSON_ENDPOINTS: ReadonlySet<MediaEndpoint> = new Set([
  '/images/generations',
  '/audio/speech',
]);

/** A media call's body, read just enough to route it; its bytes go upstream untouched. */
export interface MediaRequest {
  model: string;
  /** The body for the provider, with only the model's value replaced by `upstreamModel`. */
  upstreamBody(upstreamModel: string): { body: string | ReplayableBody; contentType: string };
}

/** Reads the body of a media call, or throws a 400 naming what is wrong. */
export function parseMediaRequest(endpoint: MediaEndpoint, body: unknown): MediaRequest {
  if (isUpload(body)) {
    if (JSON_ENDPOINTS.has(endpoint)) throw wrongType(endpoint, 'a JSON object');
    const model = uploadModel(body);

    return {
      model,
      upstreamBody: (upstreamModel) => ({
        body: uploadBody(body, upstreamModel),
        contentType: body.contentType,
      }),
    };
  }
  if (!JSON_ENDPOINTS.has(endpoint)) throw wrongType(endpoint, 'multipart/form-data');
  const request = parseOpenAiRequest(body);

  return {
    model: request.model,
    upstreamBody: (upstreamModel) => ({
      body: withModel(request.text, request.model, upstreamModel),
      contentType: 'application/json',
    }),
  };
}

/** The JSON text with one `model` value, the routed one; nothing else changes. */
function withModel(text: string, model: string, upstreamModel: string): string {
  if (upstreamModel === model && findTopLevelValues(text, 'model').length === 1) return text;

  return replaceTopLevelValue(text, 'model', JSON.stringify(upstreamModel));
}

function isUpload(body: unknown): body is MultipartUpload {
  return (
    typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'multipart'
  );
}

function wrongType(endpoint: MediaEndpoint, expected: string): GatewayException {
  return new GatewayException(
    GatewayErrorCode.InvalidRequest,
    `The body of /v1${endpoint} must be ${expected}.`,
  );
}
