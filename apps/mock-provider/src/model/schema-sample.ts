import { wordFor } from './words';

const MAX_DEPTH = 6;

type Schema = Record<string, unknown>;

/**
 * A deterministic value that fits a JSON schema, for tool arguments and JSON-mode answers:
 * every property of an object is filled (in schema order), an enum gives one of its values,
 * strings are `<property>-<word>`, numbers and booleans derive from the seed. Schemas the
 * mock does not understand give a string.
 */
export function sampleFromSchema(
  schema: unknown,
  seed: number,
  name = 'value',
  depth = 0,
): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return `${name}-${wordFor(seed)}`;
  const choices: unknown[] = Array.isArray(schema.enum) ? schema.enum : [];
  if (choices.length > 0) return choices[seed % choices.length];
  if ('const' in schema) return schema.const;
  const branch = firstBranch(schema);
  if (branch) return sampleFromSchema(branch, seed, name, depth + 1);

  return sampleByType(schema, seed, name, depth);
}

function sampleByType(schema: Schema, seed: number, name: string, depth: number): unknown {
  switch (typeOf(schema)) {
    case 'object':
      return sampleObject(schema, seed, depth);
    case 'array':
      return [sampleFromSchema(schema.items, seed, name, depth + 1)];
    case 'integer':
      return seed % 100;
    case 'number':
      return (seed % 1000) / 10;
    case 'boolean':
      return seed % 2 === 0;
    case 'null':
      return null;
    case undefined:
    default:
      return `${name}-${wordFor(seed)}`;
  }
}

function sampleObject(schema: Schema, seed: number, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const value: Record<string, unknown> = {};
  Object.entries(properties).forEach(([property, propertySchema], index) => {
    value[property] = sampleFromSchema(
      propertySchema,
      (seed >>> index) ^ index,
      property,
      depth + 1,
    );
  });

  return value;
}

function typeOf(schema: Schema): string | undefined {
  const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((item) => item !== 'null') ?? types[0];
  if (typeof type === 'string') return type.toLowerCase();

  return isSchema(schema.properties) ? 'object' : undefined;
}

function firstBranch(schema: Schema): unknown {
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return branches[0];
  }

  return undefined;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
