import { GlobPattern } from './glob-pattern';
import { MAX_LEVEL, MIN_LEVEL, parseLevel } from './levels';
import {
  MapperItem,
  MapperParseOptions,
  refuseRepeatedPatterns,
  splitMapperItems,
} from './mapper-items';
import { MapperErrorCode, MapperSyntaxException } from './mapper-syntax.exception';
import { PatternRule, PatternRuleTable } from './rule-table';

/** The level a model name goes to, and the rule (`pattern=level`) that decided it. */
export interface LevelMatch {
  level: number;
  rule: string;
}

/**
 * Rules from model-name pattern to level, e.g. `claude*=2,gpt-4*=1,deepseek*=3`. An exact
 * pattern beats a wildcard, a wildcard with more literal characters beats one with fewer, and
 * ties go to the earlier rule. A name no rule matches gets no level here; the caller falls back
 * to the tenant's default level.
 */
export class LevelMapper {
  private readonly table: PatternRuleTable<number>;

  private constructor(rules: readonly PatternRule<number>[]) {
    this.table = new PatternRuleTable(rules);
  }

  /**
   * Parses a LevelMapper string; the empty string has no rules. Levels are whole numbers from
   * 1 to 1000.
   * `options.stored` reads rules saved earlier (see {@link MapperParseOptions}).
   * @throws MapperSyntaxException naming the first bad item
   */
  static parse(text: string, options: MapperParseOptions = {}): LevelMapper {
    const items = splitMapperItems('LevelMapper', text, options);
    const rules = items.map(toLevelRule);
    refuseRepeatedPatterns('LevelMapper', items, options);

    return new LevelMapper(rules);
  }

  /** The rules in written order. */
  get rules(): readonly PatternRule<number>[] {
    return this.table.rules;
  }

  /** The level for `model`, or `undefined` when no rule matches. */
  resolve(model: string): LevelMatch | undefined {
    const winner = this.table.find(model);

    return winner && { level: winner.value, rule: winner.rule };
  }

  /** The canonical text: `pattern=level` items joined by `,`, in written order. */
  toString(): string {
    return this.table.rules.map((rule) => rule.rule).join(',');
  }
}

function toLevelRule(item: MapperItem): PatternRule<number> {
  const level = parseLevel(item.value);
  if (level === undefined) {
    throw new MapperSyntaxException(
      MapperErrorCode.InvalidLevel,
      'LevelMapper',
      item.position,
      item.text,
      `has level "${item.value}", which is not a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}`,
    );
  }

  return { pattern: new GlobPattern(item.pattern), value: level, rule: `${item.pattern}=${level}` };
}
