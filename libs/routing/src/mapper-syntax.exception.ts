import { DomainException } from '@xai/common';

/** The three rule strings of a tenant's routing configuration. */
export type MapperName = 'LevelMapper' | 'ModelMapper' | 'SwitchOver';

/** Why a mapper string was refused. */
export enum MapperErrorCode {
  EmptyItem = 'MAPPER_EMPTY_ITEM',
  MissingEquals = 'MAPPER_MISSING_EQUALS',
  ExtraEquals = 'MAPPER_EXTRA_EQUALS',
  EmptyPattern = 'MAPPER_EMPTY_PATTERN',
  EmptyValue = 'MAPPER_EMPTY_VALUE',
  InvalidCharacter = 'MAPPER_INVALID_CHARACTER',
  TooLong = 'MAPPER_TOO_LONG',
  InvalidLevel = 'MAPPER_INVALID_LEVEL',
  WildcardInValue = 'MAPPER_WILDCARD_IN_VALUE',
  DuplicateSource = 'MAPPER_DUPLICATE_SOURCE',
  DuplicatePattern = 'MAPPER_DUPLICATE_PATTERN',
  Cycle = 'MAPPER_CYCLE',
}

/** The longest item text quoted in a message, so a huge item cannot flood a log line. */
const QUOTED_ITEM_MAX = 60;

/**
 * A mapper string that does not follow the grammar. The message names the mapper, the item's
 * 1-based position and its text, e.g. `LevelMapper item 2 "gpt-4*" has no "="`, so it can be
 * shown to the person who wrote the rules as it is.
 */
export class MapperSyntaxException extends DomainException<MapperErrorCode> {
  /**
   * @param code why the item was refused
   * @param mapper which rule string it is in
   * @param item the item's 1-based position in the comma-separated list
   * @param text the item as written, without surrounding spaces
   * @param problem what is wrong, completing the sentence "item N "text" …"
   */
  constructor(
    code: MapperErrorCode,
    readonly mapper: MapperName,
    readonly item: number,
    readonly text: string,
    problem: string,
  ) {
    super(code, `${mapper} item ${item} ${describeItem(text)}${problem}`);
  }
}

function describeItem(text: string): string {
  if (text === '') return '';
  const shown = text.length > QUOTED_ITEM_MAX ? `${text.slice(0, QUOTED_ITEM_MAX)}…` : text;

  return `${JSON.stringify(shown)} `;
}
