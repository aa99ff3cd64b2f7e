import { GlobPattern } from './glob-pattern';

/** A parsed rule: its pattern, its value and its canonical text `pattern=value`. */
export interface PatternRule<V> {
  pattern: GlobPattern;
  value: V;
  rule: string;
}

/**
 * Picks the winning rule for a name: an exact pattern beats any wildcard; among wildcards the
 * one with more literal characters wins; ties go to the earlier rule. The order is fixed at
 * construction, so a lookup is one map probe plus a scan that stops at the first match.
 */
export class PatternRuleTable<V> {
  private readonly exact = new Map<string, PatternRule<V>>();
  private readonly wildcards: readonly PatternRule<V>[];

  constructor(readonly rules: readonly PatternRule<V>[]) {
    for (const rule of rules) {
      if (rule.pattern.isExact && !this.exact.has(rule.pattern.source)) {
        this.exact.set(rule.pattern.source, rule);
      }
    }
    // Array.prototype.sort is stable, so equal specificity keeps the written order.
    this.wildcards = rules
      .filter((rule) => !rule.pattern.isExact)
      .sort((a, b) => b.pattern.literalCount - a.pattern.literalCount);
  }

  /** The winning rule for `name`, if any rule matches. */
  find(name: string): PatternRule<V> | undefined {
    return this.exact.get(name) ?? this.wildcards.find((rule) => rule.pattern.matches(name));
  }
}
