import { SseEvent, SseLineTooLongException, SseParser } from './sse-parser';

const encoder = new TextEncoder();

function parseChunks(chunks: (string | Uint8Array)[], parser = new SseParser()): SseEvent[] {
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    events.push(...parser.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  }
  events.push(...parser.end());

  return events;
}

describe(SseParser.name, () => {
  describe('line endings', () => {
    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
    ])('splits events on blank lines when lines end in %s', (_name, eol) => {
      const stream = `data: one${eol}${eol}event: ping${eol}data: two${eol}${eol}`;

      const events = parseChunks([stream]);

      expect(events).toEqual([
        { event: 'message', data: 'one' },
        { event: 'ping', data: 'two' },
      ]);
    });

    it('treats a CR ending one read and an LF starting the next as one line end', () => {
      const chunks = ['data: a\r', '\ndata: b\r', '\n\r', '\n'];

      const events = parseChunks(chunks);

      expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
    });

    it('keeps a pending CR across a read that decodes to no text', () => {
      const euro = encoder.encode('€');
      const chunks = [
        encoder.encode('data: x\r'),
        euro.subarray(0, 0),
        encoder.encode('\ndata: '),
        euro.subarray(0, 1),
        euro.subarray(1),
        encoder.encode('\n\n'),
      ];

      const events = parseChunks(chunks);

      expect(events).toEqual([{ event: 'message', data: 'x\n€' }]);
    });

    it('dispatches an event as soon as its CR-terminated blank line arrives', () => {
      const parser = new SseParser();

      const events = parser.push(encoder.encode('data: now\r\r'));

      expect(events).toEqual([{ event: 'message', data: 'now' }]);
    });
  });

  describe('decoding', () => {
    it('keeps a multi-byte character split between reads', () => {
      const bytes = encoder.encode('data: 😀é\n\n');
      const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)];

      const events = parseChunks(chunks);

      expect(events).toEqual([{ event: 'message', data: '😀é' }]);
    });

    it('drops a byte order mark at the very start of the stream, even when split', () => {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: x\n\n')]);

      const events = parseChunks([bytes.subarray(0, 2), bytes.subarray(2)]);

      expect(events).toEqual([{ event: 'message', data: 'x' }]);
    });

    it('keeps a byte order mark that is not at the start of the stream', () => {
      const stream = 'data: a\n\n\uFEFFdata: b\n\ndata: c\uFEFF\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([
        { event: 'message', data: 'a' },
        { event: 'message', data: 'c\uFEFF' },
      ]);
    });
  });

  describe('fields', () => {
    it('ignores comment lines', () => {
      const stream = ': keep-alive\ndata: x\n:another\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: 'x' }]);
    });

    it('joins several data lines with a line feed', () => {
      const stream = 'data: first\ndata:second\ndata\ndata: \n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: 'first\nsecond\n\n' }]);
    });

    it('strips only one leading space from a value', () => {
      const stream = 'data:  two spaces\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: ' two spaces' }]);
    });

    it('keeps colons after the first one in the value', () => {
      const stream = 'data: {"a":"b:c"}\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: '{"a":"b:c"}' }]);
    });

    it('resets the event type after each dispatch', () => {
      const stream = 'event: delta\ndata: 1\n\ndata: 2\n\n';

      const events = parseChunks([stream]);

      expect(events.map((event) => event.event)).toEqual(['delta', 'message']);
    });

    it('does not dispatch a block without data', () => {
      const stream = 'event: ping\n\nid: 7\n\n\n\ndata: x\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: 'x', id: '7' }]);
    });

    it('keeps the last event id on later events until it is replaced or cleared', () => {
      const stream = 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\n';

      const events = parseChunks([stream]);

      expect(events.map((event) => event.id)).toEqual(['1', '1', '2', undefined]);
    });

    it('ignores an id containing NUL', () => {
      const stream = 'id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n';

      const events = parseChunks([stream]);

      expect(events.map((event) => event.id)).toEqual(['1', '1']);
    });

    it('accepts a retry made of digits only and ignores any other', () => {
      const stream = 'retry: 1500\ndata: a\n\nretry: 15a\ndata: b\n\nretry: -1\ndata: c\n\n';

      const events = parseChunks([stream]);

      expect(events.map((event) => event.retry)).toEqual([1500, undefined, undefined]);
    });

    it('ignores unknown fields', () => {
      const stream = 'foo: bar\ndata: x\nDATA: y\n\n';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: 'x' }]);
    });
  });

  describe('end of stream', () => {
    it('discards an event that never got its blank line, as the specification says', () => {
      const stream = 'data: done\n\ndata: cut';

      const events = parseChunks([stream]);

      expect(events).toEqual([{ event: 'message', data: 'done' }]);
    });

    it('dispatches the unfinished event when asked to', () => {
      const parser = new SseParser({ dispatchIncompleteEvent: true });

      const events = parseChunks(['data: [DONE]'], parser);

      expect(events).toEqual([{ event: 'message', data: '[DONE]' }]);
    });

    it('turns an unfinished character into a replacement character when asked to dispatch', () => {
      const parser = new SseParser({ dispatchIncompleteEvent: true });
      const bytes = encoder.encode('data: é');

      const events = parseChunks([bytes.subarray(0, bytes.length - 1)], parser);

      expect(events).toEqual([{ event: 'message', data: '\uFFFD' }]);
    });
  });

  describe('line length cap', () => {
    it('throws when a complete line is longer than the cap', () => {
      const parser = new SseParser({ maxLineLength: 16 });

      const act = (): SseEvent[] => parser.push(encoder.encode(`data: ${'x'.repeat(20)}\n`));

      expect(act).toThrow(SseLineTooLongException);
    });

    it('throws while buffering a line that never ends', () => {
      const parser = new SseParser({ maxLineLength: 16 });
      parser.push(encoder.encode('data: 0123456789'));

      const act = (): SseEvent[] => parser.push(encoder.encode('abc'));

      expect(act).toThrow(SseLineTooLongException);
    });

    it('accepts a line exactly as long as the cap', () => {
      const parser = new SseParser({ maxLineLength: 16 });

      const events = parseChunks([`data: ${'y'.repeat(10)}\n\n`], parser);

      expect(events).toEqual([{ event: 'message', data: 'y'.repeat(10) }]);
    });
  });
});
