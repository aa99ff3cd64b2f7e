/**
 * Thrown by a handler for an event that can never be handled, whatever the retries (for
 * instance a value its database refuses). The consumer moves the entry to the dead-letter
 * stream with `reason` instead of leaving it pending, so it cannot hold up the others.
 */
export class UnrecordableEventError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = UnrecordableEventError.name;
  }
}
