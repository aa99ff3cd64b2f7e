import type { StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { csvAttachment, ListingPage } from './csv-export';

interface Row {
  id: string;
}

const COLUMNS = [['id', (row: Row) => row.id]] as const;

/** A reply that records its headers and whether its connection was aborted. */
function fakeReply(): {
  reply: FastifyReply;
  headers: Record<string, string>;
  destroyed: () => boolean;
} {
  const headers: Record<string, string> = {};
  let destroyed = false;
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;

      return reply;
    },
    raw: { destroy: () => (destroyed = true) },
    request: { id: 'req_csv' },
  };

  return { reply: reply as unknown as FastifyReply, headers, destroyed: () => destroyed };
}

async function readAll(file: StreamableFile): Promise<{ text: string; error?: Error }> {
  let text = '';
  try {
    for await (const chunk of file.getStream()) text += String(chunk);
  } catch (error) {
    return { text, error: error as Error };
  }

  return { text };
}

describe('csvAttachment', () => {
  const first: ListingPage<Row> = { records: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' };

  it('sends every page, as an attachment', async () => {
    const { reply, headers, destroyed } = fakeReply();
    const next = async (): Promise<ListingPage<Row>> => ({
      records: [{ id: 'c' }],
      nextCursor: '',
    });

    const result = await readAll(csvAttachment(reply, 'audit', COLUMNS, first, next));

    expect(result).toEqual({ text: 'id\r\na\r\nb\r\nc\r\n' });
    expect(headers['content-disposition']).toBe('attachment; filename="audit.csv"');
    expect(destroyed()).toBe(false);
  });

  it('aborts the connection when a later page cannot be read, so the cut is visible', async () => {
    const { reply, destroyed } = fakeReply();
    const next = async (): Promise<ListingPage<Row>> => {
      throw new Error('audit-log unavailable');
    };

    const result = await readAll(csvAttachment(reply, 'audit', COLUMNS, first, next));

    expect(result.text).toBe('id\r\na\r\nb\r\n');
    expect(result.error?.message).toBe('audit-log unavailable');
    expect(destroyed()).toBe(true);
  });
});
