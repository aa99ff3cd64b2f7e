/** Thrown when the benchmark cannot set up or measure what it was asked to. */
export class BenchException extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = BenchException.name;
  }
}
