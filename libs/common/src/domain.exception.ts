/**
 * The base of every service's domain exception: a stable string `code` from the service's own
 * error-code enum, a message fit for the caller, and an optional `cause` kept for the logs.
 * Edges map the code to an HTTP error in the caller's protocol or to a gRPC status.
 */
export class DomainException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
