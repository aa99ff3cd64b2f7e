import type { Target, TargetName } from '../targets/targets';

/**
 * Runs `measure` on every target in every round, rotating the order each round so that no
 * target always goes first (warm caches, thermal drift and background work spread evenly).
 * Results are collected per target, in round order.
 */
export async function interleave<R>(
  targets: readonly Target[],
  rounds: number,
  measure: (target: Target, round: number) => Promise<R>,
): Promise<Map<TargetName, R[]>> {
  const results = new Map<TargetName, R[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < targets.length; step++) {
      const target = targets[(round + step) % targets.length];
      results.get(target.name)?.push(await measure(target, round));
    }
  }

  return results;
}
