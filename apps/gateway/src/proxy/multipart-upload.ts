import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { requireModelName } from '../routing/model-name';
import { FieldSpan, MultipartFieldScanner, boundaryOf } from './multipart-scanner';
import { UploadBytes, UploadOptions, UploadReader } from './upload-reader';
import { SpoolClosedError } from './upload-spool';
import { ReplayableBody } from './upstream.client';

/** A `multipart/form-data` upload as received: its bytes as they came, in memory or on disk. */
export interface MultipartUpload {
  kind: 'multipart';
  /** The client's content type, boundary included. */
  contentType: string;
  bytes: UploadBytes;
  size: number;
  /** The text fields named `model` (a well-formed call has exactly one). */
  modelFields: FieldSpan[];
  /** Why the form is not well formed, if it is not. */
  malformed?: string;
}

/**
 * Reads a multipart upload from the request stream, scanning for the `model` field as the bytes
 * arrive. The bytes are kept as they came so that the body can be sent again on a retry: a small
 * upload in memory (the chunks, never copied into one buffer), a larger one in a spool file (see
 * {@link UploadReader}); past the limit the upload is refused with a 413 at once.
 */
export async function readMultipartUpload(
  payload: Readable,
  contentType: string,
  options: UploadOptions,
): Promise<MultipartUpload> {
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    throw new GatewayException(
      GatewayErrorCode.InvalidRequest,
      'A multipart/form-data body needs a boundary parameter in its Content-Type.',
    );
  }
  const scanner = new MultipartFieldScanner(boundary, 'model');
  const reader = new UploadReader(payload, (chunk) => scanner.push(chunk), options);
  const { bytes, size } = await reader.read();

  return {
    ...{ kind: 'multipart', contentType, bytes, size },
    modelFields: scanner.fields,
    malformed: scanner.malformed,
  };
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

/**
 * The upload's bytes with the model field's value replaced by `model`, all else untouched, read
 * afresh (from memory or from the spool file) each time the body is sent.
 */
export function uploadBody(upload: MultipartUpload, model: string): ReplayableBody {
  const field = upload.modelFields[0];
  const stored = upload.bytes;
  const source = (): Iterable<Buffer> | AsyncIterable<Buffer> =>
    stored.kind === 'memory' ? stored.chunks : fileChunks(stored.path);
  if (!field || field.value.toString('utf8') === model) {
    return { size: upload.size, open: () => Readable.from(source()) };
  }
  const value = Buffer.from(model, 'utf8');

  return {
    size: upload.size - (field.end - field.start) + value.length,
    open: () => Readable.from(withValue(source(), field, value)),
  };
}

/**
 * A spool file's chunks, opened only once they are read: a file opened ahead of its reader
 * would have no one to take its errors (the call ended, and its spool was removed, meanwhile),
 * and an unheard stream error ends the process.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  } catch (error) {
    // The router's own file, gone with its call: not the provider's failure.
    throw new SpoolClosedError({ cause: error });
  }
}

/** The chunks with the bytes `[span.start, span.end)` of the whole replaced by `value`. */
async function* withValue(
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  span: FieldSpan,
  value: Buffer,
): AsyncGenerator<Buffer> {
  let offset = 0;
  for await (const chunk of chunks) {
    const end = offset + chunk.length;
    if (end <= span.start || offset >= span.end) yield chunk;
    else {
      if (offset < span.start) yield chunk.subarray(0, span.start - offset);
      if (offset <= span.start) yield value;
      if (end > span.end) yield chunk.subarray(span.end - offset);
    }
    offset = end;
  }
}
