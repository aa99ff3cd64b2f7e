import { randomUUID } from 'node:crypto';

/** One request the mock received, as tests see it through `GET /_mock/requests`. */
export interface RecordedRequest {
  /** Also sent back as the `x-request-id` response header. */
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  /** The credential exactly as received (the mock is a test tool; tests assert on it). */
  apiKey: string | null;
  model: string | null;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The status the mock answered with, once it answered. */
  status?: number;
  /** Set when the client went away before the answer was complete. */
  aborted?: boolean;
  abortedAt?: string;
}

export type NewRecord = Omit<RecordedRequest, 'id' | 'receivedAt'>;

/** Keeps the most recent requests in memory, bounded so a benchmark cannot exhaust it. */
export class RequestRecorder {
  private records: RecordedRequest[] = [];

  /** @param capacity how many requests to keep; 0 keeps none (records are still returned). */
  constructor(private readonly capacity: number) {}

  record(entry: NewRecord): RecordedRequest {
    const record: RecordedRequest = {
      id: `req_${randomUUID().replaceAll('-', '')}`,
      receivedAt: new Date().toISOString(),
      ...entry,
    };
    if (this.capacity === 0) return record;
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();

    return record;
  }

  markAborted(record: RecordedRequest): void {
    record.aborted = true;
    record.abortedAt = new Date().toISOString();
  }

  list(filter: { apiKey?: string } = {}): RecordedRequest[] {
    if (filter.apiKey === undefined) return [...this.records];

    return this.records.filter((record) => record.apiKey === filter.apiKey);
  }

  clear(): void {
    this.records = [];
  }
}
