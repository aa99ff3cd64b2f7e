import { SseEvent, SseParser } from './sse-parser';

/** A small seeded generator (mulberry32), so a failing seed can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

const PIECES = ['a', 'Z', '7', ' ', ':', '{"k":"v"}', 'é', '€', '😀', '中文', '\t', 'data: '];
const LINE_ENDINGS = ['\n', '\r\n', '\r'];
const EVENT_TYPES = ['', 'delta', 'error', 'message_stop'];

function randomText(random: Random, maxPieces: number): string {
  const count = Math.floor(random() * maxPieces);

  return Array.from({ length: count }, () => pick(random, PIECES)).join('');
}

/** Builds random events and one valid serialisation of them, with mixed framing. */
function randomStream(random: Random): { events: SseEvent[]; text: string } {
  const events: SseEvent[] = [];
  let text = random() < 0.3 ? '\uFEFF' : '';
  let lastId = '';
  const eventCount = 1 + Math.floor(random() * 8);
  for (let i = 0; i < eventCount; i++) {
    let previousEol = '';
    const eol = (): string => (previousEol = pick(random, LINE_ENDINGS));
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomText(random, 6));
    const type = pick(random, EVENT_TYPES);
    if (random() < 0.3) text += `: ${randomText(random, 4)}${eol()}`;
    if (type !== '') text += `event: ${type}${eol()}`;
    if (random() < 0.3) {
      lastId = `id-${i}`;
      text += `id: ${lastId}${eol()}`;
    }
    text += lines.map((line) => `data: ${line}${eol()}`).join('');
    // An LF right after a CR would merge with it into one line end, so the blank line
    // that follows a CR-terminated line must start with CR.
    text += previousEol === '\r' ? pick(random, ['\r', '\r\n']) : eol();
    const event: SseEvent = { event: type || 'message', data: lines.join('\n') };
    if (lastId !== '') event.id = lastId;
    events.push(event);
  }

  return { events, text };
}

/** Splits bytes at random offsets, often inside characters and between CR and LF. */
function randomSplits(random: Random, bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = 1 + Math.floor(random() * Math.min(12, bytes.length - offset));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }

  return chunks;
}

function parse(chunks: Uint8Array[]): SseEvent[] {
  const parser = new SseParser();

  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

describe(`${SseParser.name} (property)`, () => {
  const seeds = Array.from({ length: 300 }, (_, index) => 0x5eed + index * 7919);

  it.each(seeds)('yields the same events however seed %i splits the stream', (seed) => {
    const random = seededRandom(seed);
    const { events, text } = randomStream(random);
    const bytes = new TextEncoder().encode(text);
    const chunks = randomSplits(random, bytes);

    const whole = parse([bytes]);
    const split = parse(chunks);

    expect(whole).toEqual(events);
    expect(split).toEqual(events);
  });

  it('covers splits inside multi-byte characters and between CR and LF', () => {
    let insideCharacter = 0;
    let betweenCrAndLf = 0;

    for (const seed of seeds) {
      const random = seededRandom(seed);
      const bytes = new TextEncoder().encode(randomStream(random).text);
      let offset = 0;
      for (const chunk of randomSplits(random, bytes).slice(0, -1)) {
        offset += chunk.length;
        if ((bytes[offset] & 0xc0) === 0x80) insideCharacter++;
        if (bytes[offset - 1] === 0x0d && bytes[offset] === 0x0a) betweenCrAndLf++;
      }
    }

    expect(insideCharacter).toBeGreaterThan(50);
    expect(betweenCrAndLf).toBeGreaterThan(10);
  });
});
