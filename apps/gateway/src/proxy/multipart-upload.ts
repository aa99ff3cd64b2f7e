import type { Readable } from 'node:stream';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { requireModelName } from '../routing/model-name';
import { FieldSpan, MultipartFieldScanner, boundaryOf } from './multipart-scanner';

/** A `multipart/form-data` upload as received: its bytes in the chunks they came in. */
export interface MultipartUpload {
  kind: 'multipart';
  /** The client's content type, boundary included. */
  contentType: string;
  chunks: Buffer[];
  size: number;
  /** The text fields named `model` (a well-formed call has exactly one). */
  modelFields: FieldSpan[];
  /** Why the form is not well formed, if it is not. */
  malformed?: string;
}

/**
 * Reads a multipart upload from the request stream, scanning for the `model` field as the bytes
 * arrive. The bytes are kept as they came (never copied into one buffer) so that the body can
 * be sent again on a retry; past `limit` bytes the upload is refused with a 413 at once.
 *
 * TODO(#5): the upload is held in memory (up to the body limit) before the provider is called.
 * Once the model field has been seen, the rest could stream straight to the first key, at the
 * cost of retrying on another key only when the body was small enough to keep.
 */
export function readMultipartUpload(
  payload: Readable,
  contentType: string,
  limit: number,
): Promise<MultipartUpload> {
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    return Promise.reject(
      new GatewayException(
        GatewayErrorCode.InvalidRequest,
        'A multipart/form-data body needs a boundary parameter in its Content-Type.',
      ),
    );
  }
  const scanner = new MultipartFieldScanner(boundary, 'model');
  const chunks: Buffer[] = [];
  let size = 0;

  return new Promise((resolve, reject) => {
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(tooLarge());

        return;
      }
      chunks.push(chunk);
      scanner.push(chunk);
    });
    payload.once('error', reject);
    payload.once('end', () => {
      if (size > limit) return;
      const upload = { kind: 'multipart', contentType, chunks, size } as const;
      resolve({ ...upload, modelFields: scanner.fields, malformed: scanner.malformed });
    });
  });
}

/** The routed model of an upload; throws a 400 for a malformed form or a missing model. */
export function uploadModel(upload: MultipartUpload): string {
  if (upload.malformed) {
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      `The multipart/form-data body is malformed: ${upload.malformed}.`,
    );
  }
  if (upload.modelFields.length > 1) {
    // Which one a provider would read is not known: it must be the one the router routed.
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      'The form has more than one model field.',
      { param: 'model' },
    );
  }

  return requireModelName(upload.modelFields[0]?.value.toString('utf8'));
}

/** The upload's bytes with the model field's value replaced by `model`, all else untouched. */
export function uploadBytes(upload: MultipartUpload, model: string): Buffer[] {
  const field = upload.modelFields[0];
  if (!field || field.value.toString('utf8') === model) return upload.chunks;

  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of upload.chunks) {
    const end = offset + chunk.length;
    if (end <= field.start || offset >= field.end) out.push(chunk);
    else {
      if (offset < field.start) out.push(chunk.subarray(0, field.start - offset));
      if (offset <= field.start) out.push(Buffer.from(model, 'utf8'));
      if (end > field.end) out.push(chunk.subarray(field.end - offset));
    }
    offset = end;
  }

  return out;
}

function tooLarge(): GatewayException {
  return new GatewayException(GatewayErrorCode.BodyTooLarge, 'The request body is too large.');
}
