{{/*
Prometheus metrics: each service serves /metrics on `metrics.port` (XAI_METRICS_PORT, set in the
ConfigMap). These helpers add the container port and the scrape annotations to a pod.
*/}}

{{/* The `metrics` container port, when metrics are on. */}}
{{- define "xai-router.metricsContainerPort" -}}
{{- if .Values.metrics.enabled }}
- name: metrics
  containerPort: {{ .Values.metrics.port }}
  protocol: TCP
{{- end }}
{{- end }}

{{/* The prometheus.io annotations of a pod, when metrics and `metrics.podAnnotations` are on. */}}
{{- define "xai-router.metricsPodAnnotations" -}}
{{- if and .Values.metrics.enabled .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}

{{/* The NetworkPolicy ingress rule that lets scrapers reach the metrics port. */}}
{{- define "xai-router.metricsIngress" -}}
{{- if .Values.metrics.enabled }}
# Prometheus scrapes (metrics.scrapers; empty: any peer).
- ports:
    - port: {{ .Values.metrics.port }}
      protocol: TCP
  {{- with .Values.metrics.scrapers }}
  from:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
