{{- define "clipstream.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "clipstream.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "clipstream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ include "clipstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "clipstream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clipstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The headless Service that gives each index pod a stable DNS name for peer calls. */}}
{{- define "clipstream.peersService" -}}
{{- printf "%s-peers" (include "clipstream.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "clipstream.secretName" -}}
{{- if .Values.auth.existingSecret -}}
{{- .Values.auth.existingSecret -}}
{{- else -}}
{{- printf "%s-auth" (include "clipstream.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "clipstream.authEnabled" -}}
{{- if or .Values.auth.existingSecret .Values.auth.apiToken .Values.auth.internalToken -}}true{{- end -}}
{{- end -}}

{{/* A configuration key as its environment variable: CLIPSTREAM_ + upper case, dots and dashes as underscores. */}}
{{- define "clipstream.envName" -}}
{{- printf "CLIPSTREAM_%s" (. | upper | replace "." "_" | replace "-" "_") -}}
{{- end -}}

{{/* Settings both workloads read: the ConfigMap, the token Secret and any extra sources. */}}
{{- define "clipstream.envFrom" -}}
- configMapRef:
    name: {{ include "clipstream.fullname" . }}-config
{{- if include "clipstream.authEnabled" . }}
- secretRef:
    name: {{ include "clipstream.secretName" . }}
{{- end }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end -}}
