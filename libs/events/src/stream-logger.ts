/**
 * What the stream readers log through. `AppLogger` from `@xai/common` fits; tests may pass a
 * silent or recording one.
 */
export interface StreamLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
