import { Injectable } from '@nestjs/common';

/**
 * The longest a cached key or routing answer may be served while the config-change stream is
 * unavailable: the bound within which a replaced, disabled or revoked key must stop working on
 * every replica (docs/security.md).
 */
export const STREAM_DOWN_CACHE_MS = 2_000;

/**
 * Whether this gateway currently follows the config-change stream. While it does not (Redis
 * down, not reached yet), changes made on other replicas cannot reach this one, so the caches
 * that the stream invalidates serve nothing older than {@link STREAM_DOWN_CACHE_MS}.
 */
@Injectable()
export class ConfigStreamState {
  // Not following until the first connection: a gateway started during an outage is bounded too.
  private following = false;

  /** Records whether the stream is followed now. */
  set(following: boolean): void {
    this.following = following;
  }

  /** Whether the stream is followed now. */
  isFollowing(): boolean {
    return this.following;
  }

  /** The age bound caches apply now: none while the stream is followed. */
  maxCacheAgeMs(): number | undefined {
    return this.following ? undefined : STREAM_DOWN_CACHE_MS;
  }
}
