import { Readable } from 'node:stream';

import { StreamableFile } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { FastifyReply } from 'fastify';

import { CsvColumn, csvHeader, csvRow } from './csv';

const logger = new AppLogger('CsvExport');

/** One page of a listing the audit-log service answers. */
export interface ListingPage<R> {
  records: R[];
  nextCursor: string;
}

/**
 * Every record of a paged listing as CSV lines, header first, reading page after page until
 * the last; the first page is already read (so a bad request fails before the 200 goes out).
 */
export async function* csvPages<R>(
  columns: readonly CsvColumn<R>[],
  first: ListingPage<R>,
  nextPage: (cursor: string) => Promise<ListingPage<R>>,
): AsyncGenerator<string> {
  yield csvHeader(columns);
  let page = first;
  for (;;) {
    for (const record of page.records) yield csvRow(columns, record);
    if (!page.nextCursor) return;
    page = await nextPage(page.nextCursor);
  }
}

/**
 * A paged listing as a CSV attachment named `<name>.csv`. The 200 and the header line go out
 * before the last page is read; when a later page cannot be read, the connection is aborted
 * (no final chunk), so the client sees an incomplete transfer (curl exits with status 18, a
 * fetch body read rejects) rather than a clean-looking, shorter file.
 */
export function csvAttachment<R>(
  reply: FastifyReply,
  name: string,
  columns: readonly CsvColumn<R>[],
  first: ListingPage<R>,
  nextPage: (cursor: string) => Promise<ListingPage<R>>,
): StreamableFile {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`);

  return new StreamableFile(
    Readable.from(abortOnFailure(reply, name, csvPages(columns, first, nextPage))),
  );
}

async function* abortOnFailure(
  reply: FastifyReply,
  name: string,
  lines: AsyncGenerator<string>,
): AsyncGenerator<string> {
  let sent = 0;
  try {
    for await (const line of lines) {
      yield line;
      sent += 1;
    }
  } catch (error) {
    logger.warn('CSV export cut short; aborting the response', {
      requestId: reply.request.id,
      export: name,
      linesSent: sent,
      error: error instanceof Error ? error.message : String(error),
    });
    reply.raw.destroy();
    throw error;
  }
}
