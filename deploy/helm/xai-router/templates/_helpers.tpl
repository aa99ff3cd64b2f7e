{{/*
Names, labels and shared pieces of the XAI Router chart.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "xai-router.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The base of every resource name: fullnameOverride, else release name + chart name. */}}
{{- define "xai-router.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name of one component's objects: (dict "context" $ "component" "key-vault"). */}}
{{- define "xai-router.componentName" -}}
{{- printf "%s-%s" (include "xai-router.fullname" .context | trunc 52 | trimSuffix "-") .component -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "xai-router.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "xai-router.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: xai-router
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one component: (dict "context" $ "component" "gateway"). */}}
{{- define "xai-router.componentLabels" -}}
{{ include "xai-router.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Selector labels of one component; never change them, selectors are immutable. */}}
{{- define "xai-router.selectorLabels" -}}
app.kubernetes.io/name: {{ include "xai-router.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* commonAnnotations as a metadata `annotations:` block; nothing when there are none. */}}
{{- define "xai-router.annotations" -}}
{{- with .Values.commonAnnotations -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* The image reference: registry/repository, then @digest or :tag (default appVersion). */}}
{{- define "xai-router.image" -}}
{{- $repository := .Values.image.repository -}}
{{- if .Values.image.registry -}}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "xai-router.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "xai-router.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Names of the Secrets: the existing one when given, else the one the chart creates. */}}
{{- define "xai-router.kekSecretName" -}}
{{- default (printf "%s-kek" (include "xai-router.fullname" .)) .Values.kek.existingSecret -}}
{{- end -}}

{{- define "xai-router.pepperSecretName" -}}
{{- default (printf "%s-pepper" (include "xai-router.fullname" .)) .Values.pepper.existingSecret -}}
{{- end -}}

{{- define "xai-router.serviceTokenSecretName" -}}
{{- default (printf "%s-service-token" (include "xai-router.fullname" .)) .Values.serviceToken.existingSecret -}}
{{- end -}}

{{/* The gateway's service token, as the gateway and every gRPC server read it (when enabled). */}}
{{- define "xai-router.serviceTokenEnv" -}}
{{- if .Values.serviceToken.enabled }}
- name: XAI_SERVICE_TOKEN_GATEWAY
  valueFrom:
    secretKeyRef:
      name: {{ include "xai-router.serviceTokenSecretName" . }}
      key: {{ .Values.serviceToken.existingSecretKey }}
{{- end }}
{{- end -}}

{{/* Service identity of the gateway and of the gRPC servers it calls (key-vault, config, audit-log): the gateway's token, or in development none, every server letting anyone call it. */}}
{{- define "xai-router.serviceIdentityEnv" -}}
{{- if .Values.serviceToken.enabled }}
{{- include "xai-router.serviceTokenEnv" . }}
{{- else }}
# Development only: a gRPC server then accepts any caller that reaches it, and the gateway calls
# without a token; each warns.
- name: XAI_DEV_ALLOW_ANY_CALLER
  value: 'true'
{{- end }}
{{- end -}}

{{- define "xai-router.ownerKeySecretName" -}}
{{- default (printf "%s-owner-key" (include "xai-router.fullname" .)) .Values.bootstrapOwnerKey.existingSecret -}}
{{- end -}}

{{- define "xai-router.hasOwnerKey" -}}
{{- if or .Values.bootstrapOwnerKey.existingSecret .Values.bootstrapOwnerKey.value -}}true{{- end -}}
{{- end -}}

{{- define "xai-router.databaseSecretName" -}}
{{- default (printf "%s-database" (include "xai-router.fullname" .)) .Values.postgresql.existingSecret -}}
{{- end -}}

{{- define "xai-router.redisSecretName" -}}
{{- default (printf "%s-redis" (include "xai-router.fullname" .)) .Values.redis.existingSecret -}}
{{- end -}}

{{/* host:port of a gRPC service inside the cluster: (dict "context" $ "component" "config" "port" 50051). */}}
{{- define "xai-router.grpcAddress" -}}
{{- printf "%s:%v" (include "xai-router.componentName" .) .port -}}
{{- end -}}

{{/*
Fails the release with every problem in the values at once, before anything is applied.
Rendered from the ConfigMap, which every release contains.
*/}}
{{- define "xai-router.validateValues" -}}
{{- $problems := list -}}
{{- if not (or .Values.kek.existingSecret .Values.kek.value) -}}
{{- $problems = append $problems "kek: set kek.existingSecret (recommended) or kek.value (base64 of 32 random bytes)" -}}
{{- end -}}
{{- if not (or .Values.pepper.existingSecret .Values.pepper.value) -}}
{{- $problems = append $problems "pepper: set pepper.existingSecret (recommended) or pepper.value (at least 32 characters)" -}}
{{- end -}}
{{- if and .Values.pepper.value (lt (len .Values.pepper.value) 32) -}}
{{- $problems = append $problems "pepper.value: must be at least 32 characters" -}}
{{- end -}}
{{- if and .Values.serviceToken.enabled (not (or .Values.serviceToken.existingSecret .Values.serviceToken.value)) -}}
{{- $problems = append $problems "serviceToken: set serviceToken.existingSecret (recommended) or serviceToken.value (at least 32 characters)" -}}
{{- end -}}
{{- if and .Values.serviceToken.value (lt (len .Values.serviceToken.value) 32) -}}
{{- $problems = append $problems "serviceToken.value: must be at least 32 characters" -}}
{{- end -}}
{{- if and .Values.bootstrapOwnerKey.value (lt (len .Values.bootstrapOwnerKey.value) 32) -}}
{{- $problems = append $problems "bootstrapOwnerKey.value: must be at least 32 characters" -}}
{{- end -}}
{{- if not (or .Values.postgresql.existingSecret .Values.postgresql.url) -}}
{{- $problems = append $problems "postgresql: set postgresql.url or postgresql.existingSecret" -}}
{{- end -}}
{{- if not (or .Values.redis.existingSecret .Values.redis.url) -}}
{{- $problems = append $problems "redis: set redis.url or redis.existingSecret" -}}
{{- end -}}
{{- if and .Values.gateway.autoscaling.enabled (gt (int .Values.gateway.autoscaling.minReplicas) (int .Values.gateway.autoscaling.maxReplicas)) -}}
{{- $problems = append $problems "gateway.autoscaling: minReplicas is greater than maxReplicas" -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nInvalid values for the xai-router chart:\n  - %s\n" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}

{{/* The pod-level settings every service shares. */}}
{{- define "xai-router.podSpecCommon" -}}
serviceAccountName: {{ include "xai-router.serviceAccountName" . }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* The container settings every service shares: image, security context, probes on `port`. */}}
{{- define "xai-router.containerCommon" -}}
image: {{ include "xai-router.image" .context }}
imagePullPolicy: {{ .context.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .context.Values.containerSecurityContext | nindent 2 }}
startupProbe:
  httpGet:
    path: /healthz
    port: {{ .port }}
  {{- toYaml .context.Values.startupProbe | nindent 2 }}
livenessProbe:
  httpGet:
    path: /healthz
    port: {{ .port }}
  {{- toYaml .context.Values.livenessProbe | nindent 2 }}
readinessProbe:
  httpGet:
    path: /readyz
    port: {{ .port }}
  {{- toYaml .context.Values.readinessProbe | nindent 2 }}
{{- end -}}

{{/* Environment every service reads from the shared ConfigMap and the Redis Secret. */}}
{{- define "xai-router.commonEnv" -}}
- name: XAI_SERVICE
  value: {{ .component }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "xai-router.redisSecretName" .context }}
      key: {{ .context.Values.redis.existingSecretKey }}
{{- end -}}

{{/* Environment of the three services that own a database. */}}
{{- define "xai-router.databaseEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "xai-router.databaseSecretName" . }}
      key: {{ .Values.postgresql.existingSecretKey }}
{{- end -}}

{{/* A /tmp that works with a read-only root file system. */}}
{{- define "xai-router.tmpVolume" -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- end -}}

{{/* Annotations that roll a Deployment's pods when the shared ConfigMap changes. */}}
{{- define "xai-router.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/connections: {{ include (print .Template.BasePath "/secret-connections.yaml") . | sha256sum }}
{{- end -}}

{{/* Egress rules of every pod when egress is restricted: DNS, then networkPolicy.extraEgress. */}}
{{- define "xai-router.restrictedEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- with .Values.networkPolicy.extraEgress }}
{{ toYaml . }}
{{- end -}}
{{- end -}}

{{/*
The PostgreSQL and Redis URLs (they may carry passwords). With the migration Job on, they are
also hooks, created before the Job on install; hook objects are not removed by `helm uninstall`.
*/}}
{{- define "xai-router.connectionSecretMetadata" -}}
namespace: {{ .Release.Namespace }}
labels:
  {{- include "xai-router.labels" . | nindent 2 }}
{{- if or .Values.migrations.enabled .Values.commonAnnotations }}
annotations:
  {{- if .Values.migrations.enabled }}
  helm.sh/hook: pre-install,pre-upgrade
  helm.sh/hook-weight: "-10"
  helm.sh/hook-delete-policy: before-hook-creation
  {{- end }}
  {{- with .Values.commonAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
The on-disk audit spool of a component (events kept while Redis is unreachable, docs/audit.md):
a disk-backed emptyDir by default, which survives container restarts; or a PersistentVolumeClaim,
one folder per pod (by pod name). Call with (dict "context" $ "component" "gateway" "spool" $values.auditSpool).
*/}}
{{- define "xai-router.spoolVolume" -}}
- name: audit-spool
  {{- if .spool.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "xai-router.spoolClaimName" . }}
  {{- else }}
  emptyDir:
    sizeLimit: {{ .spool.sizeLimit }}
  {{- end }}
{{- end -}}

{{/* The claim of a component's spool: an existing one, or the chart's `<component>-audit-spool`. */}}
{{- define "xai-router.spoolClaimName" -}}
{{- .spool.persistence.existingClaim | default (printf "%s-audit-spool" (include "xai-router.componentName" (dict "context" .context "component" .component))) -}}
{{- end -}}

{{/* Where the spool volume is mounted, and the environment that points the service at it. */}}
{{- define "xai-router.spoolMount" -}}
- name: audit-spool
  mountPath: /var/spool/xai
  {{- if .persistence.enabled }}
  subPathExpr: $(POD_NAME)
  {{- end }}
{{- end -}}

{{/* POD_NAME, for a spool on a claim (each pod writes its own folder). */}}
{{- define "xai-router.podNameEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end -}}

{{/* The chart's claim of a component's spool, when persistence is on and no claim is given. */}}
{{- define "xai-router.spoolClaim" -}}
{{- if and .spool.persistence.enabled (not .spool.persistence.existingClaim) -}}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ include "xai-router.spoolClaimName" . }}
  namespace: {{ .context.Release.Namespace }}
  labels:
    {{- include "xai-router.componentLabels" . | nindent 4 }}
  annotations:
    # The spool may hold events not yet in the trail: keep it when the release is removed.
    helm.sh/resource-policy: keep
spec:
  accessModes:
    {{- toYaml .spool.persistence.accessModes | nindent 4 }}
  {{- with .spool.persistence.storageClass }}
  storageClassName: {{ . | quote }}
  {{- end }}
  resources:
    requests:
      storage: {{ .spool.persistence.size }}
{{- end -}}
{{- end -}}
