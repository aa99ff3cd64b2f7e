/**
 * The last `capacity` lines a process wrote, oldest first. A ring, so a chatty service costs
 * bounded memory however long it runs.
 */
export class LogBuffer {
  private readonly ring: string[] = [];
  private next = 0;

  constructor(private readonly capacity = 20_000) {}

  /** Appends a line, dropping the oldest one when full. */
  push(line: string): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(line);

      return;
    }
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  /** The newest `count` lines, oldest first. */
  tail(count: number): string[] {
    return this.lines().slice(-count);
  }
}
