package io.estuary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Helm chart as helm lints and renders it, with its default values and with each worked example in its ci/
 * folder, every rendered manifest read into fabric8's typed Kubernetes objects and checked against the chart's rules.
 * <p>
 * Helm comes from {@code ESTUARY_HELM}, which the test command (deploy/test-stack) sets after fetching it: under the
 * test command a missing helm fails the test. Run on its own (plain Maven, no ESTUARY_HELM, no helm on the PATH) it is
 * skipped, so that a module build without the stack's downloads still passes; the test command never skips it.
 */
class HelmChartTest {
    static final Path CHART = PrometheusRulesTest.DEPLOY.resolve("helm/estuary");
    static final Set<String> SERVICES = Set.of("est-frontend", "ca-signer", "audit-service", "renewal-scheduler",
            "revocation-responder", "console");
    /** Every service but the console, which reads no topic. */
    static final Set<String> KAFKA_CLIENTS = Set.of("est-frontend", "ca-signer", "audit-service", "renewal-scheduler",
            "revocation-responder");
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** A values file of ci/ (or the defaults), with the ports the signer and the responders may reach in it. */
    enum Variant {
        DEFAULTS(null, Set.of(9092, 9093), Set.of()),
        KAFKA_TLS("kafka-tls-values.yaml", Set.of(9093), Set.of()),
        KAFKA_SCRAM("kafka-scram-values.yaml", Set.of(9094), Set.of()),
        CLOUDNATIVE_PG("cnpg-values.yaml", Set.of(9092, 9093), Set.of()),
        TRUSTED_PROXY("trusted-proxy-values.yaml", Set.of(9092, 9093), Set.of()),
        LUNA_HSM("luna-values.yaml", Set.of(9092, 9093), Set.of(1792)),
        REVOCATION_PUBLISHED("revocation-values.yaml", Set.of(9092, 9093), Set.of()),
        CONSOLE_PUBLISHED("console-values.yaml", Set.of(9092, 9093), Set.of());

        final String values;
        final Set<Integer> kafkaPorts;
        final Set<Integer> hsmPorts;

        Variant(String values, Set<Integer> kafkaPorts, Set<Integer> hsmPorts) {
            this.values = values;
            this.kafkaPorts = kafkaPorts;
            this.hsmPorts = hsmPorts;
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void lintFindsNoProblem(Variant variant) throws Exception {
        String out = helm(valuesArgs(List.of("lint", "--strict", CHART.toString()), variant));
        assertTrue(out.contains("1 chart(s) linted, 0 chart(s) failed"), out);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyManifestIsATypedKubernetesObject(Variant variant) throws Exception {
        List<HasMetadata> objects = render(variant);
        objects.forEach(object -> assertFalse(object instanceof GenericKubernetesResource,
                "not a known Kubernetes kind: " + object.getApiVersion() + " " + object.getKind()));
        Set<String> deployed = new HashSet<>();
        of(objects, Deployment.class).forEach(d -> deployed.add(component(d)));
        assertEquals(SERVICES, deployed);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyContainerHasProbesLimitsAndRunsLockedDown(Variant variant) throws Exception {
        for (Deployment deployment : of(render(variant), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            assertNotNull(podSecurity, name);
            assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), name + " runAsNonRoot");
            assertEquals(10001L, podSecurity.getRunAsUser(), name + " runAsUser");
            assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), name + " seccomp");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + " service account token");
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null),
                    name + " has an emptyDir for /tmp");

            List<Container> all = new ArrayList<>(pod.getContainers());
            all.addAll(pod.getInitContainers());
            for (Container container : all) {
                String where = name + "/" + container.getName();
                SecurityContext security = container.getSecurityContext();
                assertNotNull(security, where + " securityContext");
                assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), where + " runAsNonRoot");
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where + " readOnlyRootFilesystem");
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where + " allowPrivilegeEscalation");
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where + " drops all capabilities");
                assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty(),
                        where + " adds no capability");
                for (String kind : List.of("requests", "limits")) {
                    Map<String, ?> amounts = kind.equals("requests") ? container.getResources().getRequests()
                            : container.getResources().getLimits();
                    assertNotNull(amounts, where + " " + kind);
                    assertTrue(amounts.containsKey("cpu") && amounts.containsKey("memory"),
                            where + " " + kind + " cpu and memory: " + amounts);
                }
            }
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                Set<String> ports = new HashSet<>();
                container.getPorts().forEach(p -> ports.add(p.getName()));
                assertHealthProbe(where + " startup", container.getStartupProbe(), "/q/health/started", ports);
                assertHealthProbe(where + " liveness", container.getLivenessProbe(), "/q/health/live", ports);
                assertHealthProbe(where + " readiness", container.getReadinessProbe(), "/q/health/ready", ports);
                assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                        where + " mounts /tmp");
            }
        }
    }

    private static void assertHealthProbe(String where, Probe probe, String path, Set<String> ports) {
        assertNotNull(probe, where + " probe");
        assertNotNull(probe.getHttpGet(), where + " probe is an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), where);
        assertTrue(ports.contains(probe.getHttpGet().getPort().getStrVal()),
                where + " probes a port the container declares: " + probe.getHttpGet().getPort());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everyDeploymentHasAPodDisruptionBudget(Variant variant) throws Exception {
        List<HasMetadata> objects = render(variant);
        for (Deployment deployment : of(objects, Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(of(objects, PodDisruptionBudget.class).stream()
                    .anyMatch(pdb -> labels.entrySet().containsAll(
                            pdb.getSpec().getSelector().getMatchLabels().entrySet())),
                    deployment.getMetadata().getName() + " has a PodDisruptionBudget");
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theSignerIsReachedOnlyByPrometheusAndReachesOnlyKafkaTheHsmAndDns(Variant variant) throws Exception {
        List<HasMetadata> objects = render(variant);
        Deployment signer = deployment(objects, "ca-signer");
        NetworkPolicy policy = policyOf(objects, signer);
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));

        int metrics = signer.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> p.getName().equals("management")).findFirst().orElseThrow().getContainerPort();
        assertFalse(policy.getSpec().getIngress().isEmpty(), "Prometheus may scrape the signer");
        policy.getSpec().getIngress().forEach(rule -> {
            assertRestrictedPeers("ingress", rule.getFrom());
            assertEquals(Set.of(metrics), ports(rule.getPorts()), "the signer's only ingress is its metrics port");
            rule.getFrom().forEach(peer -> assertNull(peer.getIpBlock(), "Prometheus is chosen by selectors"));
        });

        assertReachesOnlyKafkaTheHsmAndDns("the signer", policy, variant);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theRespondersServeTheirPortToRelyingPartiesAndReachOnlyKafkaTheHsmAndDns(Variant variant) throws Exception {
        List<HasMetadata> objects = render(variant);
        NetworkPolicy policy = policyOf(objects, deployment(objects, "revocation-responder"));
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));
        assertEquals(1, policy.getSpec().getIngress().size(), "one ingress rule");
        var rule = policy.getSpec().getIngress().get(0);
        assertEquals(Set.of(8084), ports(rule.getPorts()), "CRLs, OCSP and metrics share the port");
        if (variant == Variant.REVOCATION_PUBLISHED) {
            assertRestrictedPeers("ingress", rule.getFrom());
            assertEquals(Set.of("ingress-nginx", "monitoring"), Set.copyOf(rule.getFrom().stream()
                    .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                    .toList()), "the ingress controller and Prometheus");
        } else {
            assertTrue(rule.getFrom() == null || rule.getFrom().isEmpty(), "relying parties anywhere by default");
        }
        assertReachesOnlyKafkaTheHsmAndDns("the responder", policy, variant);
    }

    private static NetworkPolicy policyOf(List<HasMetadata> objects, Deployment deployment) {
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> policies = of(objects, NetworkPolicy.class).stream()
                .filter(p -> labels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
        assertEquals(1, policies.size(), "one NetworkPolicy selects " + deployment.getMetadata().getName());
        return policies.get(0);
    }

    private static void assertReachesOnlyKafkaTheHsmAndDns(String who, NetworkPolicy policy, Variant variant) {
        Set<Integer> allowed = new HashSet<>(variant.kafkaPorts);
        allowed.addAll(variant.hsmPorts);
        allowed.add(53);
        Set<Integer> reached = new HashSet<>();
        policy.getSpec().getEgress().forEach(rule -> {
            assertRestrictedPeers("egress", rule.getTo());
            reached.addAll(ports(rule.getPorts()));
        });
        assertEquals(allowed, reached, who + " reaches Kafka, the HSM and DNS, nothing else");
        if (variant == Variant.LUNA_HSM) {
            assertTrue(policy.getSpec().getEgress().stream().anyMatch(rule -> ports(rule.getPorts()).equals(Set.of(1792))
                    && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null
                            && peer.getIpBlock().getCidr().equals("10.0.5.10/32"))),
                    who + " reaches the Luna appliance's NTLS port at its address");
        }
    }

    /** Peers present (none would mean everyone), and none of them everyone. */
    private static void assertRestrictedPeers(String direction, List<NetworkPolicyPeer> peers) {
        assertFalse(peers == null || peers.isEmpty(), direction + " rule without peers allows every address");
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                String cidr = peer.getIpBlock().getCidr();
                assertFalse(cidr.endsWith("/0"), direction + " to every address: " + cidr);
            } else {
                assertTrue(peer.getPodSelector() != null || peer.getNamespaceSelector() != null, direction + " peer");
                boolean anyPod = peer.getPodSelector() == null || (peer.getPodSelector().getMatchLabels() == null
                        || peer.getPodSelector().getMatchLabels().isEmpty())
                        && peer.getPodSelector().getMatchExpressions().isEmpty();
                assertFalse(anyPod, direction + " peer selects every pod: " + peer);
            }
        }
    }

    private static Set<Integer> ports(List<NetworkPolicyPort> ports) {
        assertFalse(ports == null || ports.isEmpty(), "a rule without ports allows every port");
        Set<Integer> numbers = new HashSet<>();
        ports.forEach(p -> {
            assertNull(p.getEndPort(), "no port ranges");
            numbers.add(p.getPort().getIntVal());
        });
        return numbers;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void noSecretValueIsRendered(Variant variant) throws Exception {
        List<HasMetadata> objects = render(variant);
        objects.forEach(object -> assertFalse(object.getKind().equals("Secret"),
                "secrets are referenced, never rendered: " + object.getMetadata().getName()));
        for (Deployment deployment : of(objects, Deployment.class)) {
            for (EnvVar env : env(deployment)) {
                if (env.getName().matches(".*(PASSWORD|SECRET|JAAS).*|.*_PIN")) {
                    assertNull(env.getValue(), env.getName() + " has a value in the manifest");
                    assertNotNull(env.getValueFrom().getSecretKeyRef(), env.getName() + " comes from a Secret");
                }
            }
        }
    }

    @Test
    void theSignersAreAFixedNumberAndTheFrontendsAndRespondersScale() throws Exception {
        List<HasMetadata> objects = render(Variant.DEFAULTS);
        assertEquals(2, deployment(objects, "ca-signer").getSpec().getReplicas());
        Set<String> scaled = new HashSet<>();
        for (HorizontalPodAutoscaler autoscaler : of(objects, HorizontalPodAutoscaler.class)) {
            assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
            scaled.add(autoscaler.getSpec().getScaleTargetRef().getName());
        }
        assertEquals(Set.of(deployment(objects, "est-frontend").getMetadata().getName(),
                deployment(objects, "revocation-responder").getMetadata().getName()), scaled);
        for (String service : List.of("est-frontend", "revocation-responder")) {
            assertNull(deployment(objects, service).getSpec().getReplicas(), service + ": the autoscaler owns the count");
        }
    }

    @Test
    void theResponderOpensTheSignersTokenAndIsProbedOnItsPort() throws Exception {
        List<HasMetadata> objects = render(Variant.DEFAULTS);
        Deployment responder = deployment(objects, "revocation-responder");
        Map<String, EnvVar> env = byName(env(responder));
        Map<String, EnvVar> signerEnv = byName(env(deployment(objects, "ca-signer")));
        for (String name : List.of("ESTUARY_HSM_LIBRARY", "ESTUARY_HSM_SLOT_INDEX", "ESTUARY_HSM_PIN_FILE",
                "SOFTHSM2_CONF")) {
            assertNotNull(env.get(name), name);
            assertEquals(signerEnv.get(name).getValue(), env.get(name).getValue(), name + " as the signer's");
        }
        assertEquals("8084", env.get("ESTUARY_REVOCATION_PORT").getValue());
        assertNull(env.get("ESTUARY_HSM_PIN"), "the PIN is never an environment variable");
        PodSpec pod = responder.getSpec().getTemplate().getSpec();
        PodSpec signerPod = deployment(objects, "ca-signer").getSpec().getTemplate().getSpec();
        assertEquals(claims(signerPod), claims(pod), "the signer's token volume");
        assertFalse(claims(pod).isEmpty(), "SoftHSM2's token on a volume");
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("estuary-hsm-pin")), "the PIN's Secret");
        Container container = pod.getContainers().get(0);
        Set<String> mounted = new HashSet<>();
        container.getVolumeMounts().forEach(m -> mounted.add(m.getName() + ":" + m.getMountPath()));
        assertTrue(mounted.containsAll(Set.of("hsm-pin:/etc/estuary/hsm-pin", "softhsm-conf:/etc/softhsm",
                "softhsm-tokens:/var/lib/softhsm/tokens")), mounted.toString());
        assertEquals(List.of("http:8084"), container.getPorts().stream()
                .map(p -> p.getName() + ":" + p.getContainerPort()).toList());
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
        }
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
    }

    private static Set<String> claims(PodSpec pod) {
        Set<String> claims = new HashSet<>();
        pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .forEach(v -> claims.add(v.getPersistentVolumeClaim().getClaimName()));
        return claims;
    }

    @Test
    void withALunaTheRespondersGetTheModuleAndTheirOwnPartition() throws Exception {
        List<HasMetadata> objects = render(Variant.LUNA_HSM);
        Deployment responder = deployment(objects, "revocation-responder");
        Map<String, EnvVar> env = byName(env(responder));
        assertEquals("/opt/luna/libs/64/libCryptoki2.so", env.get("ESTUARY_HSM_LIBRARY").getValue());
        assertEquals("/etc/luna", env.get("ChrystokiConfigurationPath").getValue());
        assertEquals("1", env.get("ESTUARY_HSM_SLOT_INDEX").getValue(), "the responders' partition");
        assertEquals("0", byName(env(deployment(objects, "ca-signer"))).get("ESTUARY_HSM_SLOT_INDEX").getValue());
        PodSpec pod = responder.getSpec().getTemplate().getSpec();
        assertEquals(List.of("luna-client"), pod.getInitContainers().stream().map(Container::getName).toList());
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("luna-responder-partition-pin")), "the responders' PIN");
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getPersistentVolumeClaim() != null), "no token volume");
    }

    @Test
    void theRevocationUrlsReachEveryServiceThatLoadsTheProfiles() throws Exception {
        List<HasMetadata> objects = render(Variant.REVOCATION_PUBLISHED);
        for (String service : List.of("ca-signer", "est-frontend", "revocation-responder")) {
            Map<String, EnvVar> env = byName(env(deployment(objects, service)));
            assertNotNull(env.get("ESTUARY_CRL_URL"), service + " ESTUARY_CRL_URL");
            assertNotNull(env.get("ESTUARY_OCSP_URL"), service + " ESTUARY_OCSP_URL");
            assertEquals("http://pki.example.com/crl/estuary-ca.crl", env.get("ESTUARY_CRL_URL").getValue(), service);
            assertEquals("http://pki.example.com/ocsp", env.get("ESTUARY_OCSP_URL").getValue(), service);
        }
        for (String service : List.of("audit-service", "renewal-scheduler")) {
            assertTrue(env(deployment(objects, service)).stream()
                    .noneMatch(e -> e.getName().matches("ESTUARY_(CRL|OCSP)_URL")), service + " loads no profile");
        }
        for (Deployment deployment : of(render(Variant.DEFAULTS), Deployment.class)) {
            assertTrue(env(deployment).stream().noneMatch(e -> e.getName().matches("ESTUARY_(CRL|OCSP)_URL")),
                    component(deployment) + ": certificates name no responder by default");
        }
    }

    @Test
    void theRespondersArePublishedOverPlainHttpThroughTheIngress() throws Exception {
        List<HasMetadata> objects = render(Variant.REVOCATION_PUBLISHED);
        Service service = responderService(objects);
        assertEquals("ClusterIP", service.getSpec().getType());
        List<Ingress> ingresses = of(objects, Ingress.class);
        assertEquals(1, ingresses.size());
        Ingress ingress = ingresses.get(0);
        assertTrue(ingress.getSpec().getTls() == null || ingress.getSpec().getTls().isEmpty(), "plain http");
        assertEquals("false", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/ssl-redirect"));
        var rule = ingress.getSpec().getRules().get(0);
        assertEquals("pki.example.com", rule.getHost());
        Set<String> paths = new HashSet<>();
        rule.getHttp().getPaths().forEach(path -> {
            paths.add(path.getPath());
            assertEquals(service.getMetadata().getName(), path.getBackend().getService().getName());
            assertEquals("http", path.getBackend().getService().getPort().getName());
        });
        assertEquals(Set.of("/crl", "/ocsp"), paths);
        assertTrue(of(render(Variant.DEFAULTS), Ingress.class).isEmpty(), "no Ingress by default");
    }

    static Service responderService(List<HasMetadata> objects) {
        return of(objects, Service.class).stream().filter(s -> "revocation-responder".equals(component(s)))
                .findFirst().orElseThrow(() -> new AssertionError("no Service of the responders"));
    }

    /**
     * The console sends browsers to Keycloak's public address and reads the operator APIs at their Services in the
     * cluster, with its cookie key from a Secret; it holds no Kafka or HSM setting, and only the ingress controller and
     * Prometheus reach it, over its Ingress's TLS.
     */
    @Test
    void theConsoleSignsInAtKeycloaksPublicAddressAndReadsTheApisInTheCluster() throws Exception {
        List<HasMetadata> objects = render(Variant.CONSOLE_PUBLISHED);
        Deployment console = deployment(objects, "console");
        Map<String, EnvVar> env = byName(env(console));
        assertEquals("http://keycloak.identity.svc:8080", env.get("ESTUARY_KEYCLOAK_URL").getValue());
        assertEquals("https://id.example.com", env.get("ESTUARY_KEYCLOAK_PUBLIC_URL").getValue());
        var secret = env.get("ESTUARY_CONSOLE_SESSION_SECRET").getValueFrom().getSecretKeyRef();
        assertEquals(List.of("estuary-console-session", "secret"), List.of(secret.getName(), secret.getKey()));
        Map<String, Integer> services = new HashMap<>();
        of(objects, Service.class).forEach(s -> services.put(s.getMetadata().getName(),
                s.getSpec().getPorts().get(0).getPort()));
        for (String api : List.of("audit-service", "renewal-scheduler")) {
            String url = env.get("ESTUARY_CONSOLE_" + (api.startsWith("audit") ? "AUDIT" : "RENEWAL") + "_URL")
                    .getValue();
            String name = "estuary-" + api;
            assertEquals("http://" + name + ":" + services.get(name), url, "the " + api + " Service");
        }
        assertEquals("https://est.example.com", env.get("ESTUARY_CONSOLE_FRONTEND_URL").getValue());
        assertEquals("/etc/estuary/frontend-ca/ca.crt", env.get("ESTUARY_CONSOLE_TRUST_ANCHOR").getValue());
        PodSpec pod = console.getSpec().getTemplate().getSpec();
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("estuary-est-ca")), "the frontends' CA");
        assertTrue(pod.getContainers().get(0).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/etc/estuary/frontend-ca")));
        for (String https : List.of("QUARKUS_OIDC_AUTHENTICATION_FORCE_REDIRECT_HTTPS_SCHEME",
                "QUARKUS_OIDC_AUTHENTICATION_COOKIE_FORCE_SECURE", "QUARKUS_REST_CSRF_COOKIE_FORCE_SECURE")) {
            assertEquals("true", env.get(https).getValue(), https + ": served behind TLS");
        }
        assertTrue(env.keySet().stream().noneMatch(name -> name.contains("KAFKA") || name.contains("HSM")),
                env.keySet().toString());

        NetworkPolicy policy = policyOf(objects, console);
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        var rule = policy.getSpec().getIngress().get(0);
        assertEquals(Set.of(8085), ports(rule.getPorts()));
        assertRestrictedPeers("ingress", rule.getFrom());
        assertEquals(Set.of("ingress-nginx", "monitoring"), Set.copyOf(rule.getFrom().stream()
                .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                .toList()), "the ingress controller and Prometheus");

        Ingress ingress = of(objects, Ingress.class).stream().filter(i -> "console".equals(component(i)))
                .findFirst().orElseThrow();
        assertEquals(List.of("console.example.com"), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals("console-example-com-tls", ingress.getSpec().getTls().get(0).getSecretName());
        var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        assertEquals(List.of("estuary-console", "http"), List.of(backend.getName(), backend.getPort().getName()));
        assertEquals(8085, services.get("estuary-console"));

        // The defaults: Keycloak at one address for both, and the EST host's name for the frontends.
        Map<String, EnvVar> defaults = byName(env(deployment(render(Variant.DEFAULTS), "console")));
        assertEquals(defaults.get("ESTUARY_KEYCLOAK_URL").getValue(),
                defaults.get("ESTUARY_KEYCLOAK_PUBLIC_URL").getValue());
        String disabled = helm(List.of("template", "estuary", CHART.toString(), "--set", "console.enabled=false"));
        assertFalse(disabled.contains("app.kubernetes.io/component: console"), "console.enabled=false renders none");
    }

    @Test
    void theSignerHasItsPinAsAFileAndSoftHsmItsTokenOnAVolume() throws Exception {
        List<HasMetadata> objects = render(Variant.DEFAULTS);
        Deployment signer = deployment(objects, "ca-signer");
        Map<String, EnvVar> env = byName(env(signer));
        assertEquals("/etc/estuary/hsm-pin/pin", env.get("ESTUARY_HSM_PIN_FILE").getValue());
        assertNull(env.get("ESTUARY_HSM_PIN"), "the PIN is never an environment variable");
        assertEquals("/usr/lib/softhsm/libsofthsm2.so", env.get("ESTUARY_HSM_LIBRARY").getValue());
        assertNotNull(env.get("SOFTHSM2_CONF"));
        PodSpec pod = signer.getSpec().getTemplate().getSpec();
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("estuary-hsm-pin")));
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null));
        for (String other : List.of("est-frontend", "audit-service", "renewal-scheduler", "console")) {
            assertTrue(env(deployment(objects, other)).stream().noneMatch(e -> e.getName().contains("HSM")),
                    other + " knows nothing of the HSM");
        }
    }

    @Test
    void aLunaModuleReplacesSoftHsm() throws Exception {
        Deployment signer = deployment(render(Variant.LUNA_HSM), "ca-signer");
        Map<String, EnvVar> env = byName(env(signer));
        assertEquals("/opt/luna/libs/64/libCryptoki2.so", env.get("ESTUARY_HSM_LIBRARY").getValue());
        assertEquals("/etc/luna", env.get("ChrystokiConfigurationPath").getValue());
        assertNull(env.get("SOFTHSM2_CONF"));
        PodSpec pod = signer.getSpec().getTemplate().getSpec();
        assertEquals(List.of("luna-client"), pod.getInitContainers().stream().map(Container::getName).toList());
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getPersistentVolumeClaim() != null), "no token volume");
        assertTrue(pod.getContainers().get(0).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/etc/luna")));
    }

    @Test
    void byDefaultTlsPassesThroughALoadBalancerThatKeepsClientAddresses() throws Exception {
        List<HasMetadata> objects = render(Variant.DEFAULTS);
        Service est = estService(objects);
        assertEquals("LoadBalancer", est.getSpec().getType());
        assertEquals("Local", est.getSpec().getExternalTrafficPolicy());
        assertTrue(of(objects, Ingress.class).isEmpty());
        assertTrue(env(deployment(objects, "est-frontend")).stream()
                .noneMatch(e -> e.getName().equals("ESTUARY_TRUSTED_PROXIES")), "no proxy is trusted by default");
        Set<String> clusterIp = new HashSet<>();
        of(objects, Service.class).stream().filter(s -> "ClusterIP".equals(s.getSpec().getType()))
                .forEach(s -> s.getSpec().getPorts().forEach(p -> clusterIp.add(component(s) + ":" + p.getPort())));
        assertEquals(Set.of("est-frontend:9001", "ca-signer:9002", "audit-service:8082", "renewal-scheduler:8083",
                "revocation-responder:80", "console:8085"),
                clusterIp, "operator APIs and metrics stay inside the cluster");
    }

    @Test
    void aRenewedEstServerCertificateReachesTheFrontendsFiles() throws Exception {
        for (Variant variant : List.of(Variant.DEFAULTS, Variant.TRUSTED_PROXY)) {
            Deployment frontend = deployment(render(variant), "est-frontend");
            PodSpec pod = frontend.getSpec().getTemplate().getSpec();
            var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals("/etc/estuary/tls")).findFirst().orElseThrow();
            // The kubelet updates a Secret's files in place only in a volume mounted whole, never under a subPath.
            assertNull(mount.getSubPath(), variant + ": the Secret is mounted as a directory");
            assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow().getSecret(), "a Secret volume");
            List<EnvVar> env = env(frontend);
            assertTrue(env.stream().anyMatch(e -> e.getName().equals("ESTUARY_TLS_CERT")
                    && e.getValue().equals("/etc/estuary/tls/tls.crt")));
            assertTrue(env.stream().anyMatch(e -> e.getName().equals("ESTUARY_TLS_KEY")
                    && e.getValue().equals("/etc/estuary/tls/tls.key")));
            assertTrue(env.stream().noneMatch(e -> e.getName().equals("ESTUARY_TLS_RELOAD_PERIOD")),
                    "the frontend reads its files again every minute, its default");
        }
    }

    @Test
    void behindATrustedProxyTheIngressPassesTheCertificateInAHeader() throws Exception {
        List<HasMetadata> objects = render(Variant.TRUSTED_PROXY);
        assertEquals("ClusterIP", estService(objects).getSpec().getType());
        List<Ingress> ingresses = of(objects, Ingress.class);
        assertEquals(1, ingresses.size());
        Map<String, String> annotations = ingresses.get(0).getMetadata().getAnnotations();
        assertEquals("HTTPS", annotations.get("nginx.ingress.kubernetes.io/backend-protocol"));
        assertEquals("optional_no_ca", annotations.get("nginx.ingress.kubernetes.io/auth-tls-verify-client"));
        assertEquals("true", annotations.get("nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream"));
        assertEquals(estService(objects).getMetadata().getName(), ingresses.get(0).getSpec().getRules().get(0)
                .getHttp().getPaths().get(0).getBackend().getService().getName());
        Map<String, EnvVar> env = byName(env(deployment(objects, "est-frontend")));
        assertEquals("10.244.0.0/16", env.get("ESTUARY_TRUSTED_PROXIES").getValue());
        assertEquals("ssl-client-cert", env.get("ESTUARY_CLIENT_CERT_HEADER").getValue());
    }

    @Test
    void withStrimziTlsEachServiceHasItsOwnClientCertificate() throws Exception {
        List<HasMetadata> objects = render(Variant.KAFKA_TLS);
        for (String service : KAFKA_CLIENTS) {
            Deployment deployment = deployment(objects, service);
            Map<String, EnvVar> env = byName(env(deployment));
            assertEquals("SSL", env.get("KAFKA_SECURITY_PROTOCOL").getValue(), service);
            assertEquals("/etc/estuary/kafka-ca/ca.crt", env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").getValue());
            assertEquals("/etc/estuary/kafka-user/user.p12", env.get("KAFKA_SSL_KEYSTORE_LOCATION").getValue());
            assertEquals("estuary-" + service, env.get("KAFKA_SSL_KEYSTORE_PASSWORD").getValueFrom().getSecretKeyRef()
                    .getName());
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                    && v.getSecret().getSecretName().equals("estuary-" + service)), service + " its user's Secret");
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                    && v.getSecret().getSecretName().equals("estuary-cluster-ca-cert")), service + " the cluster CA");
        }
    }

    @Test
    void withStrimziScramEachServiceHasItsOwnUser() throws Exception {
        List<HasMetadata> objects = render(Variant.KAFKA_SCRAM);
        for (String service : KAFKA_CLIENTS) {
            Map<String, EnvVar> env = byName(env(deployment(objects, service)));
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL").getValue(), service);
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM").getValue(), service);
            var jaas = env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef();
            assertEquals("kafka-user-" + service, jaas.getName(), service);
            assertEquals("sasl.jaas.config", jaas.getKey(), service);
            assertEquals("estuary-kafka-bootstrap.kafka.svc:9094", env.get("ESTUARY_KAFKA_BOOTSTRAP").getValue());
        }
    }

    @Test
    void withCloudNativePgTheServicesUseTheRwServiceAndTheAppSecret() throws Exception {
        List<HasMetadata> objects = render(Variant.CLOUDNATIVE_PG);
        for (String service : List.of("audit-service", "renewal-scheduler")) {
            Map<String, EnvVar> env = byName(env(deployment(objects, service)));
            assertEquals("estuary-db-rw", env.get("ESTUARY_DB_HOST").getValue(), service);
            var user = env.get("ESTUARY_DB_USER").getValueFrom().getSecretKeyRef();
            var password = env.get("ESTUARY_DB_PASSWORD").getValueFrom().getSecretKeyRef();
            assertEquals(List.of("estuary-db-app", "username"), List.of(user.getName(), user.getKey()), service);
            assertEquals(List.of("estuary-db-app", "password"), List.of(password.getName(), password.getKey()));
            assertEquals("https://keycloak.example.com", env.get("ESTUARY_KEYCLOAK_URL").getValue());
        }
        var secret = byName(env(deployment(objects, "est-frontend"))).get("ESTUARY_KEYCLOAK_CLIENT_SECRET")
                .getValueFrom().getSecretKeyRef();
        assertEquals(List.of("keycloak-est-frontend", "secret"), List.of(secret.getName(), secret.getKey()));
        for (String service : List.of("est-frontend", "ca-signer")) {
            assertTrue(env(deployment(objects, service)).stream().noneMatch(e -> e.getName().startsWith("ESTUARY_DB")),
                    service + " has no database");
        }
    }

    // ---- rendering ----

    static List<HasMetadata> render(Variant variant) throws IOException, InterruptedException {
        String yaml = helm(valuesArgs(List.of("template", "estuary", CHART.toString(), "--namespace", "estuary"),
                variant));
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            Object object = SERIALIZATION.unmarshal(document);
            objects.add(assertInstanceOf(HasMetadata.class, object, document));
        }
        assertFalse(objects.isEmpty(), "helm rendered nothing");
        return objects;
    }

    private static List<String> valuesArgs(List<String> args, Variant variant) {
        List<String> all = new ArrayList<>(args);
        if (variant.values != null) {
            all.add("--values");
            all.add(CHART.resolve("ci").resolve(variant.values).toString());
        }
        return all;
    }

    static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static String component(HasMetadata object) {
        return object.getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    static Deployment deployment(List<HasMetadata> objects, String service) {
        return of(objects, Deployment.class).stream().filter(d -> service.equals(component(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment of " + service));
    }

    static Service estService(List<HasMetadata> objects) {
        return of(objects, Service.class).stream().filter(s -> s.getSpec().getPorts().stream()
                .anyMatch(p -> "est".equals(p.getName()))).findFirst().orElseThrow();
    }

    static List<EnvVar> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    }

    static Map<String, EnvVar> byName(List<EnvVar> env) {
        Map<String, EnvVar> named = new HashMap<>();
        env.forEach(e -> assertNull(named.put(e.getName(), e), "set twice: " + e.getName()));
        return named;
    }

    static String helm(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(helmBinary()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "helm finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    /** ESTUARY_HELM (the test command sets it), else helm on the PATH; see the class comment for when it skips. */
    static String helmBinary() {
        String configured = System.getenv("ESTUARY_HELM");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                fail("ESTUARY_HELM=" + configured + " is not an executable file");
            }
            return configured;
        }
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "helm")).filter(Files::isExecutable)
                .findFirst();
        if (onPath.isPresent()) {
            return onPath.get().toString();
        }
        if (System.getenv("ESTUARY_ROOT") != null) {
            fail("helm is missing under the test command: deploy/test-stack fetches it (deploy/lib/helm.sh) and sets "
                    + "ESTUARY_HELM");
        }
        assumeTrue(false, "no helm: run under deploy/estuary test, or set ESTUARY_HELM to a helm binary");
        throw new IllegalStateException("unreachable");
    }
}
