/** What the selector needs of a key. */
export interface WeightedKey {
  id: string;
  /** Share of first picks; 0 keeps a key as a standby tried only after the others. */
  weight: number;
}

/**
 * Picks which of a level's keys a call tries first: smooth weighted round-robin (each pick adds
 * every key's weight to its credit and takes the key with the most, which then pays the total
 * back), so weights 3:1 give A A B A … rather than bursts, and equal weights are plain
 * round-robin. The others follow in the level's order from the picked one on, so a retry walks
 * the whole pool once; standby keys (weight 0) come last.
 */
export class KeySelector {
  private readonly credit = new Map<string, number>();

  /** The keys in the order to try them; `commit: false` leaves the rotation where it is. */
  order<K extends WeightedKey>(keys: readonly K[], commit = true): K[] {
    const weighted = keys.filter((key) => key.weight > 0);
    const standby = keys.filter((key) => key.weight <= 0);
    if (weighted.length === 0) return [...standby];

    const first = this.pick(weighted, commit);

    return [...weighted.slice(first), ...weighted.slice(0, first), ...standby];
  }

  private pick(keys: readonly WeightedKey[], commit: boolean): number {
    const total = keys.reduce((sum, key) => sum + key.weight, 0);
    const credits = keys.map((key) => (this.credit.get(key.id) ?? 0) + key.weight);
    let best = 0;
    for (let index = 1; index < credits.length; index++) {
      if (credits[index] > credits[best]) best = index;
    }
    if (commit) {
      keys.forEach((key, index) => this.credit.set(key.id, credits[index]));
      this.credit.set(keys[best].id, credits[best] - total);
    }

    return best;
  }
}
