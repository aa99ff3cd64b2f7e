import { GlobPattern } from './glob-pattern';
import {
  MapperItem,
  MapperParseOptions,
  refuseRepeatedPatterns,
  splitMapperItems,
} from './mapper-items';
import { MapperErrorCode, MapperSyntaxException } from './mapper-syntax.exception';
import { PatternRule, PatternRuleTable } from './rule-table';

/** The model name to send upstream, and the rule (`pattern=model`) that decided it. */
export interface ModelMatch {
  model: string;
  rule: string;
}

/**
 * Rules that rename the requested model, e.g. `gpt-4=gpt-4-turbo,claude-3*=claude-3-5-sonnet`.
 * The value is always a literal model name, used whole: a wildcard never carries part of the
 * requested name over, so a rule can only produce its own value. Precedence is as for
 * {@link LevelMapper}. Names no rule matches pass unchanged (`resolve` returns `undefined`).
 */
export class ModelMapper {
  private readonly table: PatternRuleTable<string>;

  private constructor(rules: readonly PatternRule<string>[]) {
    this.table = new PatternRuleTable(rules);
  }

  /**
   * Parses a ModelMapper string; the empty string has no rules.
   * `options.stored` reads rules saved earlier (see {@link MapperParseOptions}).
   * @throws MapperSyntaxException naming the first bad item (also when a value has `*` or `?`)
   */
  static parse(text: string, options: MapperParseOptions = {}): ModelMapper {
    const items = splitMapperItems('ModelMapper', text, options);
    const rules = items.map(toModelRule);
    refuseRepeatedPatterns('ModelMapper', items, options);

    return new ModelMapper(rules);
  }

  /** The rules in written order. */
  get rules(): readonly PatternRule<string>[] {
    return this.table.rules;
  }

  /**
   * The patterns without wildcards, in written order and each once: the model names a caller
   * can ask for by this mapper's rules (for example to list them in `GET /v1/models`).
   */
  exactPatterns(): string[] {
    const names = this.table.rules
      .filter((rule) => rule.pattern.isExact)
      .map((rule) => rule.pattern.source);

    return [...new Set(names)];
  }

  /** The renamed model, or `undefined` when no rule matches (the name passes unchanged). */
  resolve(model: string): ModelMatch | undefined {
    const winner = this.table.find(model);

    return winner && { model: winner.value, rule: winner.rule };
  }

  /** The canonical text: `pattern=model` items joined by `,`, in written order. */
  toString(): string {
    return this.table.rules.map((rule) => rule.rule).join(',');
  }
}

function toModelRule(item: MapperItem): PatternRule<string> {
  if (/[*?]/.test(item.value)) {
    throw new MapperSyntaxException(
      MapperErrorCode.WildcardInValue,
      'ModelMapper',
      item.position,
      item.text,
      'has a wildcard after "="; the value must be a literal model name',
    );
  }

  return {
    pattern: new GlobPattern(item.pattern),
    value: item.value,
    rule: `${item.pattern}=${item.value}`,
  };
}
