const DATED_SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /@\d{8}$/, /-latest$/];

/**
 * The names a model may be priced under, most specific first: the name as given (lowercased,
 * without a `models/` prefix), then without a snapshot suffix such as `-2024-08-06`,
 * `-20250514` or `-latest`. A dated snapshot priced on its own (like `gpt-4o-2024-05-13`) is
 * found by its full name before the family's price applies.
 */
export function priceLookupNames(model: string): string[] {
  const name = model
    .trim()
    .toLowerCase()
    .replace(/^models\//, '');
  const names = [name];
  for (const suffix of DATED_SUFFIXES) {
    const stripped = name.replace(suffix, '');
    if (stripped !== name && stripped.length > 0) names.push(stripped);
  }

  return names;
}
