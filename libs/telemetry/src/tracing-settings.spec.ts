import { tracingSettings } from './tracing-settings';

describe(tracingSettings.name, () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['nothing is set', {}, false],
    ['an OTLP endpoint is set', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    ['a traces endpoint is set', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318' }, true],
    ['the endpoint is blank', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, false],
    [
      'the traces endpoint is blank beside a set endpoint',
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ' ', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      true,
    ],
    [
      'the traces endpoint is empty beside a set endpoint',
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      true,
    ],
    [
      'the traces endpoint is set beside a blank endpoint',
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_ENDPOINT: '' },
      true,
    ],
    ['the exporter is otlp', { OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [
      'the exporter is none, whatever the endpoint',
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
    [
      'the SDK is disabled',
      { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
  ])('decides when %s', (_case, env, enabled) => {
    expect(tracingSettings(env).enabled).toBe(enabled);
  });
});
