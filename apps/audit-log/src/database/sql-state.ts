/** The SQLSTATE code of a database error (TypeORM's or the driver's own), if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const withCode = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = withCode.code ?? withCode.driverError?.code;

  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
