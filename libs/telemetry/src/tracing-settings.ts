/** Whether this process exports traces, decided from the standard OpenTelemetry variables. */
export interface TracingSettings {
  enabled: boolean;
}

/**
 * Traces are on when an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp`; `OTEL_TRACES_EXPORTER=none`
 * or `OTEL_SDK_DISABLED=true` turn them off. These are read here rather than in an app's config
 * schema because tracing must start before any other module loads, config loading included.
 */
export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { enabled: false };

  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.length > 0) return { enabled: exporters.includes('otlp') };

  const endpoint =
    presentValue(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ??
    presentValue(env.OTEL_EXPORTER_OTLP_ENDPOINT);

  return { enabled: endpoint !== undefined };
}

/**
 * Blank is unset, as everywhere in the router and as the OTLP exporter itself reads these
 * variables: a blank traces endpoint must not hide the general one and turn tracing off.
 */
function presentValue(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
