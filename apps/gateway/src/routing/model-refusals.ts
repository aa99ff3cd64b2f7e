import { Injectable } from '@nestjs/common';

import { RoutableKey } from './tenant-routing';

/** How long a provider's refusal of a model to a key is remembered. */
export const MODEL_REFUSAL_MS = 10 * 60_000;
/** Refusals remembered at most; the oldest go first. */
const MAX_REFUSALS = 10_000;

/**
 * Models a provider refused to a particular key (a 403 saying the key has no access to that
 * model): the key stays healthy for every other model, and is skipped for this one for
 * {@link MODEL_REFUSAL_MS}, so calls go straight to the keys that can serve it. Kept in this
 * replica's memory: learning it costs one refused attempt per replica, which fails over at
 * once, and a change of the key (its revision) forgets it.
 */
@Injectable()
export class ModelRefusals {
  private readonly until = new Map<string, number>();

  /** Remembers that the provider refused `model` to `key` at `now`. */
  remember(key: RoutableKey, model: string, now: number): void {
    const id = refusalId(key, model);
    this.until.delete(id);
    if (this.until.size >= MAX_REFUSALS) {
      const oldest = this.until.keys().next();
      if (!oldest.done) this.until.delete(oldest.value);
    }
    this.until.set(id, now + MODEL_REFUSAL_MS);
  }

  /** Whether the provider refused `model` to `key` recently. */
  refuses(key: RoutableKey, model: string, now: number): boolean {
    if (this.until.size === 0) return false;
    const id = refusalId(key, model);
    const until = this.until.get(id);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(id);

    return false;
  }
}

function refusalId(key: RoutableKey, model: string): string {
  return `${key.id}\u0000${key.revision}\u0000${model}`;
}
