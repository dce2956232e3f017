package io.estuary.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OCSP under load, over a fleet of real certificates: issues {@code --fleet} certificates through the signer and the
 * HSM (requests published straight to Kafka), revokes every tenth through the operator API, waits until the responder
 * reports them, then measures OCSP POSTs over kept-alive connections for a fixed duration per row:
 * <ul>
 * <li>the first answer for each certificate (signed then, and kept);</li>
 * <li>requests without a nonce (RFC 5019, what browsers and most devices send): the kept answers;</li>
 * <li>requests with a nonce (what {@code openssl ocsp} sends): each one signed.</li>
 * </ul>
 * Every answer is parsed and its status compared with what the certificate's fate says (a wrong one counts as an
 * error); one answer in 500 and the first of each row have their signature verified too. Then the CRL at its URL.
 *
 * <pre>
 * OcspBenchmark --responder http://127.0.0.1:8084 --renewal http://127.0.0.1:8083 --ca ca.pem --estuary deploy/estuary
 *               [--fleet 100000] [--revoked-every 10] [--concurrency 32] [--duration PT20S] [--crl-alias estuary-ca]
 *               [--signer-log ca-signer.log] [--out bench-results-ocsp.md]
 * </pre>
 */
public final class OcspBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One certificate of the fleet: its serial number and whether the benchmark revoked it. */
    private record Member(BigInteger serial, boolean revoked) {
    }

    /** How a row chooses and builds its requests. */
    private enum Row {
        FIRST("first answer per certificate (signed, then kept)"),
        CACHED("no nonce, RFC 5019 (kept answers)"),
        NONCE("with nonce (signed per request)");

        final String label;

        Row(String label) {
            this.label = label;
        }
    }

    private final String host;
    private final int port;
    private final X509Certificate ca;
    private final List<Member> fleet;
    /** The CA's name and key hashes once: each request's certificate ID is derived from it with its serial. */
    private final CertificateID template;
    /** Each certificate's request without a nonce, built once: the load generator's CPU is the stack's too. */
    private final byte[][] plainRequests;

    private OcspBenchmark(URI responder, X509Certificate ca, List<Member> fleet) throws Exception {
        this.host = responder.getHost();
        this.port = responder.getPort();
        this.ca = ca;
        this.fleet = fleet;
        this.template = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(ca), BigInteger.ONE);
        this.plainRequests = new byte[fleet.size()][];
        for (int i = 0; i < plainRequests.length; i++) {
            plainRequests[i] = request(fleet.get(i).serial(), null);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI responder = URI.create(options.getOrDefault("responder", "http://127.0.0.1:8084"));
        URI renewal = URI.create(options.getOrDefault("renewal", "http://127.0.0.1:8083"));
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(options.get("ca")))));
        int fleetSize = Integer.parseInt(options.getOrDefault("fleet", "100000"));
        int revokedEvery = Integer.parseInt(options.getOrDefault("revoked-every", "10"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        Duration duration = Duration.parse(options.getOrDefault("duration", "PT20S"));
        String crlAlias = options.getOrDefault("crl-alias", "estuary-ca");
        Path out = Path.of(options.getOrDefault("out", "bench-results-ocsp.md"));
        OperatorToken token = new OperatorToken(Path.of(options.getOrDefault("estuary", "deploy/estuary")));

        System.err.printf("issuing a fleet of %d certificates through the signer%n", fleetSize);
        List<String> serials = Collections.synchronizedList(new ArrayList<>());
        Map<String, LongAdder> refused = new ConcurrentHashMap<>();
        String[] issuer = new String[1];
        double issuing = EnrollmentBenchmark.signDirectly(EnrollmentBenchmark.csrs(fleetSize), r -> {
            if (r.issued()) {
                serials.add(r.serialNumber());
                issuer[0] = r.issuer();
            } else {
                refused.computeIfAbsent(r.reason(), k -> new LongAdder()).increment();
            }
        }, Duration.ofMinutes(15));
        if (!refused.isEmpty()) {
            throw new IllegalStateException("the signer did not issue the whole fleet: " + refused);
        }
        if (!ca.getSubjectX500Principal().getName().equals(new javax.security.auth.x500.X500Principal(issuer[0])
                .getName())) {
            throw new IllegalStateException("the fleet was issued by " + issuer[0] + ", not by the CA given ("
                    + ca.getSubjectX500Principal() + ")");
        }
        System.err.printf("issued %d certificates in %.1f s%n", serials.size(), issuing);
        List<Member> fleet = new ArrayList<>(serials.size());
        List<String> toRevoke = new ArrayList<>();
        for (int i = 0; i < serials.size(); i++) {
            boolean revoked = i % revokedEvery == 0;
            fleet.add(new Member(new BigInteger(serials.get(i), 16), revoked));
            if (revoked) {
                toRevoke.add(serials.get(i));
            }
        }
        System.err.printf("revoking %d of them through %s/revocations%n", toRevoke.size(), renewal);
        double revoking = revoke(renewal, issuer[0], toRevoke, token);
        System.err.printf("revoked in %.1f s%n", revoking);

        OcspBenchmark bench = new OcspBenchmark(responder, ca, fleet);
        double awaited = bench.awaitRevocationsKnown(Duration.ofMinutes(5));
        System.err.printf("the responder reported the last revocations %.1f s after the last was accepted%n", awaited);

        StringBuilder table = new StringBuilder("| requests | concurrency | answers/s | p50 ms | p95 ms | p99 ms | ok "
                + "| errors |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        System.out.print(table);
        for (Row row : Row.values()) {
            EnrollmentBenchmark.awaitQuiet();
            String line = bench.run(row, concurrency, duration);
            System.out.print(line);
            table.append(line);
        }
        BigInteger lastRevoked = new BigInteger(toRevoke.get(toRevoke.size() - 1), 16);
        String crl = crl(responder.resolve("/crl/" + crlAlias + ".crl"), ca, lastRevoked, options.get("signer-log"));
        System.out.println(crl);
        String machine = Runtime.getRuntime().availableProcessors() + " cores (" + MachineReference.processor() + "), "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        Files.writeString(out, "Measured " + Instant.now() + " on " + machine + ", whole local stack on the same "
                + "machine, " + duration.toSeconds() + " s per row. Fleet: " + fleet.size() + " certificates issued "
                + "for this run (" + String.format("%.1f", issuing) + " s through the signer and the HSM), "
                + toRevoke.size() + " of them revoked through the operator API (" + String.format("%.1f", revoking)
                + " s); requests for certificates drawn at random from the fleet, each answer's status checked.\n\n"
                + table + "\n" + crl + "\n");
        System.out.println("written to " + out);
    }

    /** One row: {@code concurrency} workers POSTing OCSP requests over kept-alive connections for {@code duration}. */
    private String run(Row row, int concurrency, Duration duration) throws Exception {
        System.err.printf("measuring OCSP, %s, concurrency %d, for %s%n", row.label, concurrency, duration);
        // The first-answer row takes each certificate once, in random order; the others draw at random.
        List<Integer> order = new ArrayList<>();
        if (row == Row.FIRST) {
            for (int i = 0; i < fleet.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order);
        }
        AtomicInteger next = new AtomicInteger();
        LongAdder ok = new LongAdder();
        ErrorCounts errors = new ErrorCounts();
        AtomicInteger checked = new AtomicInteger();
        long[][] latencies = new long[concurrency][];
        Instant end = Instant.now().plus(duration);
        Instant started = Instant.now();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            done.add(workers.submit(() -> {
                long[] mine = new long[200_000];
                int count = 0;
                HttpConnection connection = null;
                while (Instant.now().isBefore(end)) {
                    int index;
                    if (row == Row.FIRST) {
                        int n = next.getAndIncrement();
                        if (n >= order.size()) {
                            break;
                        }
                        index = order.get(n);
                    } else {
                        index = ThreadLocalRandom.current().nextInt(fleet.size());
                    }
                    Member member = fleet.get(index);
                    byte[] nonce = row == Row.NONCE ? new byte[16] : null;
                    if (nonce != null) {
                        RANDOM.nextBytes(nonce);
                    }
                    long start = System.nanoTime();
                    try {
                        byte[] request = nonce != null ? request(member.serial(), nonce) : plainRequests[index];
                        if (connection == null) {
                            connection = HttpConnection.plain(host, port);
                        }
                        HttpConnection.Answer answer = connection.post("/ocsp", null, "application/ocsp-request",
                                request, true);
                        long took = System.nanoTime() - start;
                        String wrong = answer.status() != 200 ? "HTTP " + answer.status()
                                : wrong(answer.body(), member, nonce, checked.getAndIncrement() % 500 == 0);
                        if (wrong == null) {
                            ok.increment();
                            if (count < mine.length) {
                                mine[count++] = took;
                            }
                        } else {
                            errors.count(wrong);
                        }
                    } catch (IOException e) {
                        errors.failed(connection, e);
                        connection = null;
                    }
                }
                if (connection != null) {
                    connection.close();
                }
                latencies[worker] = Arrays.copyOf(mine, count);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        workers.shutdown();
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        String errorText = errors.toString();
        if (row == Row.FIRST && next.get() >= order.size()) {
            errorText += " (every certificate asked for once, before the row's time was up)";
        }
        return String.format("| %s | %d | %.0f | %.1f | %.1f | %.1f | %d | %s |%n", row.label, concurrency,
                ok.sum() / seconds, EnrollmentBenchmark.percentile(all, 50), EnrollmentBenchmark.percentile(all, 95),
                EnrollmentBenchmark.percentile(all, 99), ok.sum(), errorText);
    }

    /** A DER OCSP request for one serial of the CA (SHA-1 certificate ID, as OpenSSL and RFC 5019 clients use). */
    private byte[] request(BigInteger serial, byte[] nonce) throws IOException {
        try {
            CertificateID id = CertificateID.deriveCertificateID(template, serial);
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (nonce != null) {
                // As OpenSSL sends it (RFC 8954): the extension's value is an OCTET STRING holding the nonce.
                builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                        false, new DEROctetString(new DEROctetString(nonce)))));
            }
            return builder.build().getEncoded();
        } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when the answer says what the certificate's fate is (and repeats the nonce); else what is wrong. */
    private String wrong(byte[] der, Member member, byte[] nonce, boolean verifySignature) {
        try {
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return "OCSP status " + response.getStatus();
            }
            BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
            SingleResp single = basic.getResponses()[0];
            if (!single.getCertID().getSerialNumber().equals(member.serial())) {
                return "another certificate's answer";
            }
            CertificateStatus status = single.getCertStatus();
            if (member.revoked() != (status instanceof RevokedStatus)
                    || (!member.revoked() && status != CertificateStatus.GOOD)) {
                return "wrong status";
            }
            if (nonce != null) {
                Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
                if (echoed == null || !Arrays.equals(echoed.getExtnValue().getOctets(),
                        new DEROctetString(nonce).getEncoded())) {
                    return "nonce not repeated";
                }
            }
            if (verifySignature) {
                X509CertificateHolder signer = basic.getCerts()[0];
                if (!signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))
                        || !basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))) {
                    return "bad signature";
                }
            }
            return null;
        } catch (Exception e) {
            return "unreadable answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Waits until the responder answers "revoked" for the last certificates revoked; returns the seconds waited. */
    private double awaitRevocationsKnown(Duration within) throws Exception {
        List<Member> revoked = fleet.stream().filter(Member::revoked).toList();
        List<Member> sample = revoked.subList(Math.max(0, revoked.size() - 50), revoked.size());
        Instant start = Instant.now();
        Instant deadline = start.plus(within);
        HttpConnection connection = HttpConnection.plain(host, port);
        try {
            for (Member member : sample) {
                while (true) {
                    HttpConnection.Answer answer = connection.post("/ocsp", null, "application/ocsp-request",
                            request(member.serial(), null), true);
                    if (answer.status() == 200 && wrong(answer.body(), member, null, false) == null) {
                        break;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("the responder did not report certificate "
                                + member.serial().toString(16) + " revoked within " + within);
                    }
                    Thread.sleep(500);
                }
            }
        } finally {
            connection.close();
        }
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    /**
     * Revokes each serial through {@code POST /revocations}, 16 at a time; a 404 (the renewal tracker has not read the
     * issuance yet) is tried again. Returns the seconds taken.
     */
    private static double revoke(URI renewal, String issuer, List<String> serials, OperatorToken token)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
        ExecutorService workers = Executors.newFixedThreadPool(16);
        Instant start = Instant.now();
        Instant deadline = start.plus(Duration.ofMinutes(10));
        List<Future<?>> done = new ArrayList<>();
        for (String serial : serials) {
            done.add(workers.submit(() -> {
                String body = JSON.writeValueAsString(Map.of("issuer", issuer, "serialNumber", serial,
                        "reason", "superseded"));
                while (true) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(renewal.resolve("/revocations"))
                            .header("Authorization", "Bearer " + token.get())
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 || response.statusCode() == 201) {
                        return null;
                    }
                    if (response.statusCode() != 404 || Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("revoking " + serial + ": HTTP " + response.statusCode()
                                + " " + response.body());
                    }
                    Thread.sleep(1000);
                }
            }));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    /**
     * The CRL at its URL, once it lists the run's last revocation (two minutes at most): entries, size, and how long the
     * signer took to sign it (from its log, when given).
     */
    private static String crl(URI url, X509Certificate ca, BigInteger lastRevoked, String signerLog)
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        HttpResponse<byte[]> response;
        X509CRL crl = null;
        while (true) {
            response = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(response.body()));
                if (crl.getRevokedCertificate(lastRevoked) != null) {
                    break;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                return "CRL at " + url + ": " + (crl == null ? "HTTP " + response.statusCode()
                        : "does not list the run's revocations") + " two minutes after the last";
            }
            Thread.sleep(500);
        }
        crl.verify(ca.getPublicKey());
        int entries = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        String signed = "";
        if (signerLog != null && Files.isReadable(Path.of(signerLog))) {
            // The signer's own account of its last CRL: "published CRL <n> of CA '<alias>': <e> entries, <b> bytes,
            // signed in <ms> ms".
            signed = Files.readAllLines(Path.of(signerLog), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("published CRL")).reduce((a, b) -> b)
                    .map(l -> " The signer's log of its latest: \"" + l.substring(l.indexOf("published CRL")) + "\".")
                    .orElse("");
        }
        return String.format("CRL at %s: %d entries, %d bytes, signature valid, thisUpdate %s, nextUpdate %s.%s", url,
                entries, response.body().length, crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant(),
                signed);
    }

    /** A bearer token of the operator account, from {@code deploy/estuary token operator}, fetched again before it expires. */
    private static final class OperatorToken {
        private final Path script;
        private String token;
        private Instant fetched = Instant.EPOCH;

        OperatorToken(Path script) {
            this.script = script;
        }

        synchronized String get() throws IOException, InterruptedException {
            // The realm's access tokens live 60 s.
            if (Duration.between(fetched, Instant.now()).toSeconds() > 40) {
                Process process = new ProcessBuilder(script.toString(), "token", "operator")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.waitFor() != 0 || output.isEmpty()) {
                    throw new IllegalStateException(script + " token operator failed");
                }
                token = output;
                fetched = Instant.now();
            }
            return token;
        }
    }
}
