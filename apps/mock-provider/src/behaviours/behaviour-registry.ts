import { randomUUID } from 'node:crypto';

import { Behaviour, BehaviourInput, BehaviourTarget } from './behaviour';

/** The rules tests installed, in the order they were added; the first match wins. */
export class BehaviourRegistry {
  private rules: Behaviour[] = [];

  add(input: BehaviourInput): Behaviour {
    const rule: Behaviour = { ...input, id: randomUUID(), remaining: input.times };
    this.rules.push(rule);

    return rule;
  }

  list(): Behaviour[] {
    return [...this.rules];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);

    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Finds the first rule matching `target` and uses up one of its `times`. */
  take(target: BehaviourTarget): Behaviour | null {
    if (this.rules.length === 0) return null;
    const rule = this.rules.find((candidate) => matches(candidate, target));
    if (!rule) return null;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining === 0) this.remove(rule.id);
    }

    return rule;
  }
}

function matches(rule: Behaviour, target: BehaviourTarget): boolean {
  return (
    (rule.apiKey === undefined || rule.apiKey === target.apiKey) &&
    (rule.model === undefined || rule.model === target.model) &&
    (rule.path === undefined || rule.path === target.path)
  );
}
