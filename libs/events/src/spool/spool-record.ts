import { crc32 } from 'node:zlib';

/**
 * One spooled event as a line: the CRC-32 of the payload in eight hex digits, a space, the
 * payload (JSON, which holds no raw newline) and a newline. A line cut short by a crash, or
 * damaged on disk, fails its checksum and is skipped rather than replayed wrongly.
 */
export function encodeSpoolLine(payload: string): string {
  return `${checksum(payload)} ${payload}\n`;
}

/** The payload of a line made by {@link encodeSpoolLine}, or undefined when it is damaged. */
export function decodeSpoolLine(line: string): string | undefined {
  if (line.length < 10 || line[8] !== ' ') return undefined;
  const payload = line.slice(9);

  return checksum(payload) === line.slice(0, 8) ? payload : undefined;
}

function checksum(payload: string): string {
  return crc32(Buffer.from(payload, 'utf8')).toString(16).padStart(8, '0');
}
