import { CsvColumn, csvHeader, csvRow } from './csv';

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
