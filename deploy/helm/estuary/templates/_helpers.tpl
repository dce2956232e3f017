{{/* The release's name prefix of every object. */}}
{{- define "estuary.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels of one service: (dict "root" $ "name" "ca-signer"). */}}
{{- define "estuary.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "estuary.labels" -}}
{{ include "estuary.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "estuary.image" -}}
{{ .image.repository }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{/* The Kafka client settings of one service (dict "root" $ "name" "ca-signer"): the brokers, and the security
     settings as KAFKA_* variables, which every Kafka client of the service reads (the channels and its own). */}}
{{- define "estuary.kafkaEnv" -}}
{{- $k := .root.Values.kafka -}}
- name: ESTUARY_KAFKA_BOOTSTRAP
  value: {{ $k.bootstrap | quote }}
{{- if eq $k.authentication "tls" }}
- name: KAFKA_SECURITY_PROTOCOL
  value: SSL
{{- else if eq $k.authentication "scram" }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ ternary "SASL_SSL" "SASL_PLAINTEXT" $k.tls }}
- name: KAFKA_SASL_MECHANISM
  value: SCRAM-SHA-512
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ (index $k.users .name).secretName }}
      key: sasl.jaas.config
{{- else if ne $k.authentication "none" }}
{{- fail (printf "kafka.authentication must be none, tls or scram, not %s" $k.authentication) }}
{{- end }}
{{- if or (eq $k.authentication "tls") (and (eq $k.authentication "scram") $k.tls) }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/estuary/kafka-ca/ca.crt
{{- end }}
{{- if eq $k.authentication "tls" }}
- name: KAFKA_SSL_KEYSTORE_TYPE
  value: PKCS12
- name: KAFKA_SSL_KEYSTORE_LOCATION
  value: /etc/estuary/kafka-user/user.p12
- name: KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ (index $k.users .name).secretName }}
      key: user.password
{{- end }}
{{- end -}}

{{- define "estuary.kafkaTls" -}}
{{- $k := .Values.kafka -}}
{{- or (eq $k.authentication "tls") (and (eq $k.authentication "scram") $k.tls) -}}
{{- end -}}

{{- define "estuary.kafkaVolumeMounts" -}}
{{- if eq (include "estuary.kafkaTls" .root) "true" }}
- name: kafka-ca
  mountPath: /etc/estuary/kafka-ca
  readOnly: true
{{- end }}
{{- if eq .root.Values.kafka.authentication "tls" }}
- name: kafka-user
  mountPath: /etc/estuary/kafka-user
  readOnly: true
{{- end }}
{{- end -}}

{{- define "estuary.kafkaVolumes" -}}
{{- $k := .root.Values.kafka -}}
{{- if eq (include "estuary.kafkaTls" .root) "true" }}
- name: kafka-ca
  secret:
    secretName: {{ $k.caSecret.name }}
    items:
      - key: {{ $k.caSecret.key }}
        path: ca.crt
{{- end }}
{{- if eq $k.authentication "tls" }}
- name: kafka-user
  secret:
    secretName: {{ (index $k.users .name).secretName }}
    items:
      - key: user.p12
        path: user.p12
{{- end }}
{{- end -}}

{{/* Keycloak, for the operator APIs' bearer tokens. */}}
{{- define "estuary.keycloakEnv" -}}
- name: ESTUARY_KEYCLOAK_URL
  value: {{ .Values.keycloak.url | quote }}
- name: ESTUARY_KEYCLOAK_REALM
  value: {{ .Values.keycloak.realm | quote }}
{{- end -}}

{{/* PostgreSQL: CloudNativePG's <cluster>-rw Service and <cluster>-app Secret, or the host and Secret given. */}}
{{- define "estuary.databaseEnv" -}}
{{- $p := .Values.postgresql -}}
{{- $secret := $p.credentialsSecret.name -}}
{{- $userKey := $p.credentialsSecret.usernameKey -}}
{{- $passwordKey := $p.credentialsSecret.passwordKey -}}
{{- $host := $p.host -}}
{{- if $p.cnpgCluster -}}
{{- $secret = printf "%s-app" $p.cnpgCluster -}}
{{- $userKey = "username" -}}
{{- $passwordKey = "password" -}}
{{- $host = printf "%s-rw" $p.cnpgCluster -}}
{{- end -}}
- name: ESTUARY_DB_HOST
  value: {{ $host | quote }}
- name: ESTUARY_DB_PORT
  value: {{ $p.port | quote }}
- name: ESTUARY_DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $userKey }}
- name: ESTUARY_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $passwordKey }}
{{- end -}}

{{/* Init containers given in values, with the chart's security context and resources unless they set their own. */}}
{{- define "estuary.initContainers" -}}
{{- range .containers }}
- {{ merge (deepCopy .) (dict "securityContext" $.root.Values.containerSecurityContext "resources" $.resources) | toYaml | nindent 2 | trim }}
{{- end }}
{{- end -}}

{{/*
One service's Deployment: (dict "root" $ "name" "ca-signer" "values" .Values.signer "healthPort" "management"
"ports" (list (dict "name" "management" "port" 9002)) "autoscaled" false "env" <yaml> "volumeMounts" <yaml>
"volumes" <yaml> "initContainers" <yaml>); "withoutKafka" true for a service that reads no topic.
*/}}
{{- define "estuary.deployment" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "estuary.fullname" $root }}-{{ .name }}
  labels:
    {{- include "estuary.labels" . | nindent 4 }}
spec:
  {{- if not .autoscaled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "estuary.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "estuary.labels" . | nindent 8 }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      # No Kubernetes API calls, and no *_SERVICE_HOST/KAFKA_PORT variables that a KAFKA_* reader would take in.
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .initContainers }}
      initContainers:
        {{- . | trim | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "estuary.image" (dict "root" $root "image" $v.image) | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          ports:
            {{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          env:
            - name: ESTUARY_BIND_HOST
              value: 0.0.0.0
            - name: ESTUARY_LOG_JSON
              value: {{ $root.Values.logJson | quote }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ $v.javaToolOptions | quote }}
            {{- if not .withoutKafka }}
            {{- include "estuary.kafkaEnv" . | nindent 12 }}
            {{- end }}
            {{- with .env }}
            {{- . | trim | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: {path: /q/health/started, port: {{ .healthPort }}}
            {{- toYaml $root.Values.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: {path: /q/health/live, port: {{ .healthPort }}}
            {{- toYaml $root.Values.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: {path: /q/health/ready, port: {{ .healthPort }}}
            {{- toYaml $root.Values.probes.readiness | nindent 12 }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if not .withoutKafka }}
            {{- with include "estuary.kafkaVolumeMounts" . }}
            {{- . | trim | nindent 12 }}
            {{- end }}
            {{- end }}
            {{- with .volumeMounts }}
            {{- . | trim | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if not .withoutKafka }}
        {{- with include "estuary.kafkaVolumes" . }}
        {{- . | trim | nindent 8 }}
        {{- end }}
        {{- end }}
        {{- with .volumes }}
        {{- . | trim | nindent 8 }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "estuary.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "estuary.fullname" .root }}-{{ .name }}
  labels:
    {{- include "estuary.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "estuary.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* A ClusterIP Service: (dict "root" $ "name" ... "suffix" "metrics" "ports" (list (dict "name" "port"))). */}}
{{- define "estuary.clusterService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "estuary.fullname" .root }}-{{ .name }}{{ with .suffix }}-{{ . }}{{ end }}
  labels:
    {{- include "estuary.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "estuary.selectorLabels" . | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
{{- end -}}

{{/* The frontend's own settings: its TLS files, its Keycloak client, and the trusted proxies in that mode. */}}
{{- define "estuary.frontendEnv" -}}
{{- $root := .root -}}
- name: ESTUARY_EST_PORT
  value: "8443"
- name: ESTUARY_FRONTEND_MANAGEMENT_PORT
  value: "9001"
- name: ESTUARY_TLS_CERT
  value: /etc/estuary/tls/tls.crt
- name: ESTUARY_TLS_KEY
  value: /etc/estuary/tls/tls.key
- name: ESTUARY_KEYCLOAK_CLIENT_ID
  value: {{ $root.Values.keycloak.clientId | quote }}
- name: ESTUARY_KEYCLOAK_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ required "keycloak.clientSecret.existingSecret is required" $root.Values.keycloak.clientSecret.existingSecret }}
      key: {{ $root.Values.keycloak.clientSecret.key }}
{{- if $root.Values.frontend.bootstrapCa.existingSecret }}
- name: ESTUARY_BOOTSTRAP_CA_DIR
  value: /etc/estuary/bootstrap-ca
{{- end }}
{{- if .trustedProxy }}
- name: ESTUARY_TRUSTED_PROXIES
  value: {{ required "ingress.trustedProxies is required in trusted-proxy mode: the ingress controller's pod addresses or CIDRs" (join "," $root.Values.ingress.trustedProxies) | quote }}
- name: ESTUARY_CLIENT_CERT_HEADER
  value: {{ $root.Values.ingress.clientCertHeader | quote }}
{{- end }}
{{- end -}}

{{/* NetworkPolicy peers from CIDRs and selectors: (dict "what" "networkPolicy.kafka" "peers" .Values.networkPolicy.kafka).
     Never empty: an egress rule without peers would allow every destination. */}}
{{- define "estuary.peers" -}}
{{- if not (or .peers.cidrs .peers.peers) -}}
{{- fail (printf "%s needs cidrs or peers" .what) -}}
{{- end -}}
{{- range .peers.cidrs }}
- ipBlock:
    cidr: {{ . }}
{{- end }}
{{- with .peers.peers }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "estuary.tcpPorts" -}}
{{- range . }}
- port: {{ . }}
  protocol: TCP
{{- end }}
{{- end -}}

{{/* The PKCS#11 token of the signer and of the revocation responder: one module, one SoftHSM2 configuration and token
     volume, one PIN file. (dict "root" $ "slotIndex" 0 "pin" .Values.signer.hsm.pin) */}}
{{- define "estuary.hsmEnv" -}}
{{- $hsm := .root.Values.signer.hsm -}}
- name: ESTUARY_HSM_LIBRARY
  value: {{ $hsm.library | quote }}
- name: ESTUARY_HSM_SLOT_INDEX
  value: {{ toString .slotIndex | quote }}
- name: ESTUARY_HSM_PIN_FILE
  value: /etc/estuary/hsm-pin/pin
{{- if $hsm.softhsm.enabled }}
- name: SOFTHSM2_CONF
  value: /etc/softhsm/softhsm2.conf
{{- end }}
{{- with $hsm.module.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* SoftHSM2's token directory is mounted writable: it keeps lock files next to the objects even for a reader. */}}
{{- define "estuary.hsmVolumeMounts" -}}
{{- $hsm := .root.Values.signer.hsm -}}
- name: hsm-pin
  mountPath: /etc/estuary/hsm-pin
  readOnly: true
{{- if $hsm.softhsm.enabled }}
- name: softhsm-conf
  mountPath: /etc/softhsm
  readOnly: true
- name: softhsm-tokens
  mountPath: {{ $hsm.softhsm.tokenDir }}
{{- end }}
{{- with $hsm.module.volumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "estuary.hsmVolumes" -}}
{{- $hsm := .root.Values.signer.hsm -}}
{{- $fullname := include "estuary.fullname" .root -}}
- name: hsm-pin
  secret:
    secretName: {{ required "signer.hsm.pin.existingSecret is required" .pin.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .pin.key }}
        path: pin
{{- if $hsm.softhsm.enabled }}
- name: softhsm-conf
  configMap:
    name: {{ $fullname }}-softhsm
- name: softhsm-tokens
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-softhsm-tokens" $fullname) $hsm.softhsm.persistence.existingClaim }}
{{- end }}
{{- with $hsm.module.volumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The certificates' CRL distribution point and OCSP address, for every service that loads the profiles. */}}
{{- define "estuary.revocationUrlEnv" -}}
{{- with .Values.revocationUrls.crl }}
- name: ESTUARY_CRL_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.revocationUrls.ocsp }}
- name: ESTUARY_OCSP_URL
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* A CPU HorizontalPodAutoscaler of one service's Deployment, from its values' autoscaling. */}}
{{- define "estuary.hpa" -}}
{{- $a := .values.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "estuary.fullname" .root }}-{{ .name }}
  labels:
    {{- include "estuary.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "estuary.fullname" .root }}-{{ .name }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
{{- end -}}

{{/* The egress of a pod holding the token: the brokers, the HSM (a network one) and the cluster DNS. */}}
{{- define "estuary.tokenEgress" -}}
{{- $np := .Values.networkPolicy -}}
- to:
    {{- include "estuary.peers" (dict "what" "networkPolicy.kafka" "peers" $np.kafka) | trim | nindent 4 }}
  ports:
    {{- include "estuary.tcpPorts" $np.kafka.ports | trim | nindent 4 }}
{{- if or $np.hsm.cidrs $np.hsm.peers }}
- to:
    {{- include "estuary.peers" (dict "what" "networkPolicy.hsm" "peers" $np.hsm) | trim | nindent 4 }}
  ports:
    {{- include "estuary.tcpPorts" (required "networkPolicy.hsm.ports is required with HSM cidrs or peers" $np.hsm.ports) | trim | nindent 4 }}
{{- end }}
- to:
    - namespaceSelector:
        {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $np.dns.podSelector | nindent 8 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}
