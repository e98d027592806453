{{/*
Names, labels, images, and the Dapr resources read from components/ (files/components is a symlink to
the repository's components/ folder: the local run and the cluster read the same files).
*/}}

{{- define "todo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "todo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name for one service (or a suffix of the release): todo.objname (list $ "gateway" ["green"]) */}}
{{- define "todo.objname" -}}
{{- $root := index . 0 }}
{{- $parts := prepend (rest .) (include "todo.fullname" $root) }}
{{- join "-" (compact $parts) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries; with a service name also its selector labels. (dict "root" $ "app" name) */}}
{{- define "todo.labels" -}}
helm.sh/chart: {{ include "todo.chart" .root }}
app.kubernetes.io/part-of: todo-platform
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{- if .app }}
{{ include "todo.selectorLabels" . }}
{{- else }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The labels a service's Deployment selects on: the same for both blue/green colours (see values). */}}
{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .app }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* Enabled app-ids, sorted: todo.apps $ | fromYamlArray */}}
{{- define "todo.apps" -}}
{{- $apps := list }}
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}{{ $apps = append $apps $name }}{{ end }}
{{- end }}
{{- toYaml $apps }}
{{- end }}

{{/* One service's settings merged over serviceDefaults: (dict "root" $ "app" name) | fromYaml */}}
{{- define "todo.service" -}}
{{- $svc := index .root.Values.services .app }}
{{- $merged := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (omit $svc "resources") }}
{{- $_ := set $merged "resources" ($svc.resources | default .root.Values.serviceDefaults.resources) }}
{{- toYaml $merged }}
{{- end }}

{{/* Blue/green colours: [""] normally (one Deployment), ["blue","green"] with blueGreen.enabled. */}}
{{- define "todo.colours" -}}
{{- if .Values.blueGreen.enabled }}{{ toYaml (list "blue" "green") }}{{ else }}{{ toYaml (list "") }}{{ end }}
{{- end }}

{{/* Deployment name of a service and colour; blue keeps the plain name, so enabling blue/green recreates nothing. */}}
{{- define "todo.deploymentName" -}}
{{- if eq .colour "green" }}{{ include "todo.objname" (list .root .app "green") }}{{ else }}{{ include "todo.objname" (list .root .app) }}{{ end }}
{{- end }}

{{/* Image of a service: (dict "root" $ "app" name "tag" colourTag) */}}
{{- define "todo.image" -}}
{{- $img := .root.Values.image }}
{{- $repo := printf "%s/%s" (trimSuffix "/" $img.repository) .app }}
{{- if $img.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo }}{{ end }}
{{- $digest := index ($img.digests | default dict) .app | default "" }}
{{- if .tag }}
{{- printf "%s:%s" $repo .tag }}
{{- else if $digest }}
{{- printf "%s@%s" $repo $digest }}
{{- else }}
{{- printf "%s:%s" $repo ($img.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Names of the Secrets the pods and annotations refer to. */}}
{{- define "todo.jwtSecretName" -}}
{{- .Values.jwt.existingSecret | default .Values.jwt.secretName }}
{{- end }}
{{- define "todo.daprApiTokenSecretName" -}}
{{- .Values.daprApiToken.existingSecret | default (include "todo.objname" (list . "dapr-api-token")) }}
{{- end }}
{{- define "todo.appApiTokenSecretName" -}}
{{- .Values.appApiToken.existingSecret | default (include "todo.objname" (list . "app-api-token")) }}
{{- end }}

{{/* The port of "host:port", "scheme://host:port/path" or the first of "a:1,b:2"; (list addr defaultPort) */}}
{{- define "todo.port" -}}
{{- $addr := first (splitList "," (index . 0)) }}
{{- $hostport := regexReplaceAll "^[a-z]+://" $addr "" | regexReplaceAll "/.*$" "" }}
{{- $m := regexFind ":[0-9]+$" $hostport }}
{{- if $m }}{{ trimPrefix ":" $m }}{{ else }}{{ index . 1 }}{{ end }}
{{- end }}

{{/* GOMEMLIMIT from daprd's memory limit: dapr.goMemLimitPercent of it, in MiB. */}}
{{- define "todo.goMemLimit" -}}
{{- $q := toString .Values.dapr.resources.limits.memory }}
{{- $units := dict "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "K" 1000 "M" 1000000 "G" 1000000000 "" 1 }}
{{- $m := regexFindAll "^([0-9]+)(Ki|Mi|Gi|K|M|G)?$" $q 1 }}
{{- if not $m }}{{ fail (printf "dapr.resources.limits.memory %q: use a whole number with Ki, Mi, Gi, K, M, G or no suffix (GOMEMLIMIT is derived from it)" $q) }}{{ end }}
{{- $n := regexFind "^[0-9]+" $q | int64 }}
{{- $unit := regexReplaceAll "^[0-9]+" $q "" }}
{{- $bytes := mul $n (index $units $unit) }}
{{- printf "%dMiB" (div (div (mul $bytes .Values.dapr.goMemLimitPercent) 100) 1048576) }}
{{- end }}

{{/*
Metadata of a Component with some entries replaced or added (set, a list of metadata entries) and
some removed (drop, a list of names): (dict "metadata" list "set" list "drop" list) | fromYaml → .m
*/}}
{{- define "todo.mergeMetadata" -}}
{{- $set := dict }}
{{- range .set }}{{ $_ := set $set .name . }}{{ end }}
{{- $seen := dict }}
{{- $out := list }}
{{- range .metadata }}
{{- if has .name ($.drop | default list) }}
{{- else if hasKey $set .name }}{{ $out = append $out (get $set .name) }}{{ $_ := set $seen .name true }}
{{- else }}{{ $out = append $out . }}
{{- end }}
{{- end }}
{{- range .set }}{{ if not (hasKey $seen .name) }}{{ $out = append $out . }}{{ end }}{{ end }}
{{- toYaml (dict "m" $out) }}
{{- end }}

{{- define "todo.ref" -}}
{{- toYaml (dict "name" (index . 0) "secretKeyRef" (dict "name" (index . 1) "key" (index . 2))) }}
{{- end }}

{{/* The pub/sub Component's cluster-specific metadata, per broker profile: (dict "set" … "drop" …) */}}
{{- define "todo.pubsubOverrides" -}}
{{- $V := .Values }}
{{- $set := list }}
{{- $drop := list }}
{{- if eq $V.broker "kafka" }}
{{- $k := $V.kafka }}
{{- $set = append $set (dict "name" "brokers" "value" $k.brokers) }}
{{- $set = append $set (dict "name" "authType" "value" $k.authType) }}
{{- if and $k.tls.existingSecret (has $k.authType (list "certificate" "password" "mtls")) }}
{{- $set = append $set (include "todo.ref" (list "caCert" $k.tls.existingSecret $k.tls.caKey) | fromYaml) }}
{{- end }}
{{- if eq $k.authType "mtls" }}
{{- $set = append $set (include "todo.ref" (list "clientCert" $k.tls.existingSecret $k.tls.certKey) | fromYaml) }}
{{- $set = append $set (include "todo.ref" (list "clientKey" $k.tls.existingSecret $k.tls.keyKey) | fromYaml) }}
{{- end }}
{{- if eq $k.authType "password" }}
{{- $set = append $set (include "todo.ref" (list "saslUsername" $k.sasl.existingSecret $k.sasl.usernameKey) | fromYaml) }}
{{- $set = append $set (include "todo.ref" (list "saslPassword" $k.sasl.existingSecret $k.sasl.passwordKey) | fromYaml) }}
{{- $set = append $set (dict "name" "saslMechanism" "value" $k.sasl.mechanism) }}
{{- end }}
{{- else if eq $V.broker "redis" }}
{{- $set = append $set (dict "name" "redisHost" "value" $V.redisStreams.host) }}
{{- $set = append $set (dict "name" "enableTLS" "value" (toString $V.redisStreams.enableTLS)) }}
{{- if $V.redisStreams.existingSecret }}
{{- $set = append $set (include "todo.ref" (list "redisPassword" $V.redisStreams.existingSecret $V.redisStreams.passwordKey) | fromYaml) }}
{{- end }}
{{- else if eq $V.broker "rabbitmq" }}
{{- $set = append $set (dict "name" "hostname" "value" $V.rabbitmq.host) }}
{{- $set = append $set (include "todo.ref" (list "username" $V.rabbitmq.existingSecret $V.rabbitmq.usernameKey) | fromYaml) }}
{{- $set = append $set (include "todo.ref" (list "password" $V.rabbitmq.existingSecret $V.rabbitmq.passwordKey) | fromYaml) }}
{{- else if eq $V.broker "mqtt" }}
{{- $set = append $set (dict "name" "url" "value" $V.mqtt.url) }}
{{- end }}
{{- toYaml (dict "set" $set "drop" $drop) }}
{{- end }}

{{- define "todo.redisOverrides" -}}
{{- $V := .Values }}
{{- $set := list (dict "name" "redisHost" "value" $V.redis.host) (dict "name" "enableTLS" "value" (toString $V.redis.enableTLS)) }}
{{- if $V.redis.existingSecret }}
{{- $set = append $set (include "todo.ref" (list "redisPassword" $V.redis.existingSecret $V.redis.passwordKey) | fromYaml) }}
{{- end }}
{{- toYaml (dict "set" $set "drop" list) }}
{{- end }}

{{/*
Every Dapr resource the cluster gets, read from components/ and changed only where a cluster must
differ from the local run (addresses, credentials, the secret store's type, names that would collide in
one namespace, the local name resolution). Returns {items: [...]}; tests/k8s/drift.test.ts compares
the result with components/ and allows exactly these differences.

  common/*.yaml, common/subscriptions/*.yaml   as they are (resiliency, cron, subscriptions), except:
      secretstore            → secretstores.kubernetes, no metadata (the local one reads a JSON file)
      notification-webhook   → url from notificationWebhookUrl; left out when that is empty
  state/default/statestore.yaml                → redisHost, enableTLS, redisPassword
  state/task-service/statestore.yaml           → the same, and named outboxStoreName
  <broker>/pubsub.yaml                         → addresses and credentials (secretKeyRef); the
                                                 rabbitmq profile's local file secret store is dropped:
                                                 the Dapr operator resolves secretKeyRefs from Secrets
  config.yaml                                  → without nameResolution (SQLite file locally; Kubernetes
                                                 DNS in a cluster); tracing exporter and sampling from values
*/}}
{{- define "todo.daprResources" -}}
{{- $root := . }}
{{- $V := .Values }}
{{- $files := list }}
{{- range $path, $_ := .Files.Glob "files/components/common/*.yaml" }}{{ $files = append $files $path }}{{ end }}
{{- range $path, $_ := .Files.Glob "files/components/common/subscriptions/*.yaml" }}{{ $files = append $files $path }}{{ end }}
{{- $files = concat $files (list "files/components/state/default/statestore.yaml" "files/components/state/task-service/statestore.yaml" (printf "files/components/%s/pubsub.yaml" $V.broker) "files/components/config.yaml") }}
{{- $items := list }}
{{- range $path := $files }}
{{- $obj := $root.Files.Get $path | fromYaml }}
{{- if not $obj.kind }}{{ fail (printf "%s: not a Dapr resource (is files/components a symlink to components/?)" $path) }}{{ end }}
{{- $name := $obj.metadata.name }}
{{- $keep := true }}
{{- if eq $obj.kind "Component" }}
{{- $ov := dict "set" list "drop" list }}
{{- if eq $name "pubsub" }}
{{- $ov = include "todo.pubsubOverrides" $root | fromYaml }}
{{- $obj = omit $obj "auth" }}
{{- else if eq $obj.spec.type "state.redis" }}
{{- $ov = include "todo.redisOverrides" $root | fromYaml }}
{{- if contains "/state/task-service/" $path }}{{ $_ := set $obj "metadata" (merge (dict "name" $V.outboxStoreName) (omit $obj.metadata "name")) }}{{ end }}
{{- else if eq $name "secretstore" }}
{{- $_ := set $obj "spec" (dict "type" "secretstores.kubernetes" "version" "v1" "metadata" list) }}
{{- else if eq $name "notification-webhook" }}
{{- if $V.notificationWebhookUrl }}{{ $ov = dict "set" (list (dict "name" "url" "value" $V.notificationWebhookUrl)) "drop" list }}{{ else }}{{ $keep = false }}{{ end }}
{{- end }}
{{- $md := include "todo.mergeMetadata" (dict "metadata" ($obj.spec.metadata | default list) "set" $ov.set "drop" $ov.drop) | fromYaml }}
{{- $_ := set $obj "spec" (merge (dict "metadata" $md.m) (omit $obj.spec "metadata")) }}
{{- if $keep }}
{{- range $obj.spec.metadata }}
{{- if and (kindIs "string" .value) (regexMatch "127\\.0\\.0\\.1|localhost|\\.run/" .value) }}
{{- fail (printf "%s: metadata %s = %q is a local address; the chart needs a cluster value for it (templates/_helpers.tpl, todo.daprResources)" $path .name .value) }}
{{- end }}
{{- end }}
{{- end }}
{{- else if eq $obj.kind "Configuration" }}
{{- $spec := omit $obj.spec "nameResolution" }}
{{- $tracing := deepCopy ($spec.tracing | default dict) }}
{{- /* The local exporter points at a Zipkin on loopback (make run, the tests); a cluster's comes from values. */}}
{{- $_ := unset $tracing "zipkin" }}
{{- with $V.dapr.tracing.samplingRate }}{{ $_ := set $tracing "samplingRate" (toString .) }}{{ end }}
{{- with $V.dapr.tracing.zipkinEndpoint }}{{ $_ := set $tracing "zipkin" (dict "endpointAddress" .) }}{{ end }}
{{- with $V.dapr.tracing.otel }}{{ if .endpointAddress }}{{ $_ := set $tracing "otel" (dict "endpointAddress" .endpointAddress "protocol" .protocol "isSecure" .isSecure) }}{{ end }}{{ end }}
{{- $_ := set $spec "tracing" $tracing }}
{{- $_ := set $obj "spec" $spec }}
{{- if ne $name $V.dapr.configurationName }}{{ fail (printf "components/config.yaml names the Configuration %q but dapr.configurationName is %q" $name $V.dapr.configurationName) }}{{ end }}
{{- end }}
{{- if $keep }}{{ $items = append $items (dict "source" (trimPrefix "files/" $path) "object" $obj) }}{{ end }}
{{- end }}
{{- toYaml (dict "items" $items) }}
{{- end }}

{{/* Is app in the scopes of the Component called name? (dict "root" $ "component" name "app" app) → "true" or "" */}}
{{- define "todo.inScopes" -}}
{{- $res := include "todo.daprResources" .root | fromYaml }}
{{- range $res.items }}
{{- if and (eq .object.kind "Component") (eq .object.metadata.name $.component) (has $.app (.object.scopes | default list)) }}true{{ end }}
{{- end }}
{{- end }}

{{/* The app-ids an app invokes: those whose invokedBy lists it. */}}
{{- define "todo.invokes" -}}
{{- $out := list }}
{{- range $name, $svc := .root.Values.services }}
{{- if and $svc.enabled (has $.app ($svc.invokedBy | default list)) }}{{ $out = append $out $name }}{{ end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* The pub/sub broker's address as the pods dial it, for the NetworkPolicy port. */}}
{{- define "todo.brokerPort" -}}
{{- $V := .Values }}
{{- if eq $V.broker "kafka" }}{{ include "todo.port" (list $V.kafka.brokers "9092") }}
{{- else if eq $V.broker "redis" }}{{ include "todo.port" (list $V.redisStreams.host "6379") }}
{{- else if eq $V.broker "rabbitmq" }}{{ include "todo.port" (list $V.rabbitmq.host "5672") }}
{{- else }}{{ include "todo.port" (list $V.mqtt.url "1883") }}{{ end }}
{{- end }}

{{/* Settings checked before anything renders (the schema checks types; these check combinations). */}}
{{- define "todo.validate" -}}
{{- $V := .Values }}
{{- if $V.blueGreen.enabled }}
{{- if ne (add $V.blueGreen.blue.weight $V.blueGreen.green.weight) 100 }}
{{- fail (printf "blueGreen: blue.weight + green.weight must be 100 (got %v + %v)" $V.blueGreen.blue.weight $V.blueGreen.green.weight) }}
{{- end }}
{{- end }}
{{- range $name, $svc := $V.services }}
{{- if $svc.enabled }}
{{- if and $V.blueGreen.enabled $svc.autoscaling.enabled }}
{{- fail (printf "services.%s: blue/green and autoscaling together need one autoscaler per colour; use Argo Rollouts (README, On Kubernetes) or turn one off" $name) }}
{{- end }}
{{- if and (eq $V.broker "mqtt") (include "todo.inScopes" (dict "root" $ "component" "pubsub" "app" $name)) }}
{{- if $svc.autoscaling.enabled }}
{{- fail (printf "services.%s.autoscaling: broker mqtt has no consumer groups, so there is no backlog to scale on (every subscribed client gets every message; none is shared out), and with one client id per app-id ({appID}) a second replica would take over the first one's session (components/mqtt/pubsub.yaml). Run 1 replica without autoscaling, or pick kafka, redis or rabbitmq" $name) }}
{{- end }}
{{- if or (gt (int $svc.replicas) 1) $V.blueGreen.enabled }}
{{- fail (printf "services.%s: broker mqtt has no consumer groups and one client id per app-id ({appID}): a second replica would take over the first one's session (components/mqtt/pubsub.yaml). Run 1 replica, without autoscaling or blue/green" $name) }}
{{- end }}
{{- end }}
{{- if $svc.autoscaling.enabled }}{{ include "todo.validateAutoscaling" (dict "root" $ "app" $name) }}{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/* A Dapr resource from todo.daprResources with the chart's labels, and its source file named. */}}
{{- define "todo.daprObject" -}}
{{- $obj := deepCopy .item.object }}
{{- $meta := omit $obj.metadata "labels" "annotations" "namespace" }}
{{- $_ := set $meta "labels" (include "todo.labels" (dict "root" .root) | fromYaml) }}
{{- $_ := set $meta "annotations" (dict "todo-platform/source" .item.source) }}
{{- $_ := set $obj "metadata" $meta }}
{{ toYaml $obj }}
{{- end }}

{{/*
Autoscaling (KEDA). What a ScaledObject scales on is read from the Dapr resources, so it cannot disagree
with what daprd does: the topics are those of the Subscriptions scoped to the app, the consumer group is
the one daprd derives from the pub/sub Component, Kafka's offsetResetPolicy follows its initialOffset.
*/}}

{{/* Topics an app subscribes to on `pubsub` (declarative Subscriptions scoped to it), sorted: (dict "root" $ "app" name) | fromYamlArray */}}
{{- define "todo.subscribedTopics" -}}
{{- $res := include "todo.daprResources" .root | fromYaml }}
{{- $topics := list }}
{{- range $res.items }}
{{- if and (eq .object.kind "Subscription") (eq (.object.spec.pubsubname | default "") "pubsub") (has $.app (.object.scopes | default list)) }}
{{- $topics = append $topics .object.spec.topic }}
{{- end }}
{{- end }}
{{- toYaml ($topics | uniq | sortAlpha) }}
{{- end }}

{{/* The rendered pub/sub Component's metadata as a map of plain values: todo.pubsubMetadata $ | fromYaml */}}
{{- define "todo.pubsubMetadata" -}}
{{- $res := include "todo.daprResources" . | fromYaml }}
{{- $m := dict }}
{{- range $res.items }}
{{- if and (eq .object.kind "Component") (eq .object.metadata.name "pubsub") }}
{{- range .object.spec.metadata }}{{ if hasKey . "value" }}{{ $_ := set $m .name (toString .value) }}{{ end }}{{ end }}
{{- end }}
{{- end }}
{{- toYaml $m }}
{{- end }}

{{/*
The consumer group (Kafka, Redis Streams) or queue prefix (RabbitMQ: `<group>-<topic>`) daprd uses for an
app: Kafka's `consumerGroup`, else `consumerID`, else the app-id (daprd sets consumerID to the app-id when
the Component has none). daprd expands {appID} and {namespace} (`<namespace>.<app-id>`); {podName} and
{uuid} give every pod a group of its own — every pod then gets every message and no group has one
backlog to scale on — so the chart refuses them. (dict "root" $ "app" name)
*/}}
{{- define "todo.consumerGroup" -}}
{{- $m := include "todo.pubsubMetadata" .root | fromYaml }}
{{- $group := .app }}
{{- if and (eq .root.Values.broker "kafka") $m.consumerGroup }}{{ $group = $m.consumerGroup }}
{{- else if $m.consumerID }}{{ $group = $m.consumerID }}{{ end }}
{{- if regexMatch "(?i)\\{(podName|uuid)\\}" $group }}
{{- fail (printf "services.%s.autoscaling: the pub/sub's consumer group %q is per pod, so no group holds the backlog KEDA would scale on; use the app-id (the default)" .app $group) }}
{{- end }}
{{- $group | replace "{appID}" .app | replace "{namespace}" (printf "%s.%s" .root.Release.Namespace .app) }}
{{- end }}

{{/* Partitions of a topic as the topic Job creates it: topics.app (or defaultPartitions), `.dlq` twins defaultPartitions. (dict "root" $ "topic" name) */}}
{{- define "todo.partitions" -}}
{{- $T := .root.Values.topics }}
{{- $n := $T.defaultPartitions }}
{{- range $T.app }}{{ if and (eq .name $.topic) .partitions }}{{ $n = .partitions }}{{ end }}{{ end }}
{{- $n }}
{{- end }}

{{/* One service's autoscaling settings: the autoscaling defaults with the service's own keys over them. (dict "root" $ "app" name) | fromYaml */}}
{{- define "todo.autoscaling" -}}
{{- $svc := index .root.Values.services .app }}
{{- toYaml (mergeOverwrite (deepCopy (omit .root.Values.autoscaling "brokerAddress" "kafka")) (deepCopy ($svc.autoscaling | default dict))) }}
{{- end }}

{{/* Name of the TriggerAuthentication with the broker's credentials, or "" when the broker needs none. */}}
{{- define "todo.triggerAuthName" -}}
{{- $V := .Values }}
{{- if or (and (eq $V.broker "kafka") (ne $V.kafka.authType "none")) (and (eq $V.broker "redis") $V.redisStreams.existingSecret) (eq $V.broker "rabbitmq") }}
{{- include "todo.objname" (list . "keda-broker") }}
{{- end }}
{{- end }}

{{/* Checks of one autoscaled service (called from todo.validate). (dict "root" $ "app" name) */}}
{{- define "todo.validateAutoscaling" -}}
{{- $V := .root.Values }}
{{- $as := include "todo.autoscaling" . | fromYaml }}
{{- $topics := include "todo.subscribedTopics" . | fromYamlArray }}
{{- if gt (int $as.minReplicaCount) (int $as.maxReplicaCount) }}
{{- fail (printf "services.%s.autoscaling: minReplicaCount %v is above maxReplicaCount %v" .app $as.minReplicaCount $as.maxReplicaCount) }}
{{- end }}
{{- if eq (int $as.minReplicaCount) 0 }}
{{- $callers := list }}
{{- range $name, $s := $V.services }}{{ if and $s.enabled (has $name ((index $V.services $.app).invokedBy | default list)) }}{{ $callers = append $callers $name }}{{ end }}{{ end }}
{{- if $callers }}
{{- fail (printf "services.%s.autoscaling.minReplicaCount 0: it is invoked by %s, which would get errors while it has zero pods (KEDA wakes it on lag only); keep 1" .app (join ", " $callers)) }}
{{- end }}
{{- if include "todo.inScopes" (dict "root" .root "component" "reminder-cron" "app" .app) }}
{{- fail (printf "services.%s.autoscaling.minReplicaCount 0: the reminder cron runs in its pods, and at zero pods no reminder is sent; keep 1" .app) }}
{{- end }}
{{- end }}
{{- if and $topics (eq $V.broker "kafka") (not $V.autoscaling.kafka.allowIdleConsumers) }}
{{- $most := 0 }}
{{- range $topics }}{{ $n := include "todo.partitions" (dict "root" $.root "topic" .) | int }}{{ if gt $n $most }}{{ $most = $n }}{{ end }}{{ end }}
{{- if gt (int $as.maxReplicaCount) $most }}
{{- fail (printf "services.%s.autoscaling.maxReplicaCount %v is above the partitions of its topics (%s: at most %d): each partition is read by one member of the consumer group, so replicas beyond that idle; raise the partitions (topics.app) or lower maxReplicaCount" .app $as.maxReplicaCount (join ", " $topics) $most) }}
{{- end }}
{{- end }}
{{- if $topics }}{{ $_ := include "todo.consumerGroup" . }}{{ end }}
{{- end }}
