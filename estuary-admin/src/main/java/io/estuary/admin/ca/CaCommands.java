package io.estuary.admin.ca;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.ca.TokenCas;
import io.estuary.pki.ca.TokenCas.KeyType;
import io.estuary.pki.token.Pkcs11Token;
import io.estuary.pki.token.TokenUnavailableException;
import io.estuary.pki.wire.Pem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The CA commands: every key is generated inside the PKCS#11 token, sensitive and never extractable; the certificates
 * (public) are written as PEM. A refused operation (an alias taken, a chain that does not fit, a wrong PIN) exits 2.
 */
@Command(name = "ca", description = "Create, certify and export CAs whose keys live in the PKCS#11 token.",
        synopsisSubcommandLabel = "init-root | init-issuing | request | import | export | ocsp-responder "
                + "| ocsp-responder-request | ocsp-responder-import")
public final class CaCommands {
    static final int REFUSED = 2;

    private CaCommands() {
    }

    public static CommandLine commandLine(Supplier<char[]> pin) {
        CommandLine ca = new CommandLine(new CaCommands());
        for (Object command : List.of(new InitRoot(pin), new InitIssuing(pin), new Request(pin), new Import(pin),
                new Export(pin), new OcspResponder(pin), new OcspResponderRequest(pin), new OcspResponderImport(pin))) {
            ca.addSubcommand(command);
        }
        return ca;
    }

    /** The token and the CA alias every CA command names. */
    static final class TokenOptions {
        @Option(names = "--library", required = true, description = "the PKCS#11 module (.so)")
        String library;

        @Option(names = "--slot-index", defaultValue = "0", description = "the token's slot index (default ${DEFAULT-VALUE})")
        int slotIndex;

        @Option(names = "--alias", required = true, description = "the CA's alias in the token")
        String alias;

        @Option(names = "--out", required = true, description = "where to write the PEM")
        Path out;
    }

    /** Opens the token, runs the operation, and turns a refusal into a one-line message and exit code 2. */
    abstract static class TokenCommand implements Callable<Integer> {
        private final Supplier<char[]> pin;

        @Mixin
        TokenOptions options;

        @Spec
        CommandLine.Model.CommandSpec spec;

        TokenCommand(Supplier<char[]> pin) {
            this.pin = pin;
        }

        @Override
        public final Integer call() {
            try {
                Pkcs11Token token = Pkcs11Token.open(new Pkcs11Token.Settings("estuary-ca", options.library,
                        options.slotIndex), pin.get());
                String done = run(token);
                if (done != null) {
                    spec.commandLine().getOut().println(done);
                }
                return 0;
            } catch (IllegalArgumentException | IllegalStateException | TokenUnavailableException
                    | UncheckedIOException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return REFUSED;
            }
        }

        /** @return the line to print when done, or null */
        abstract String run(Pkcs11Token token);

        void writeCsr(PKCS10CertificationRequest csr) {
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(csr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(options.out, pem.toString());
        }

        void write(Path file, String pem) {
            try {
                Files.writeString(file, pem);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "init-root", description = "A self-signed root CA whose key is made in the token.")
    static final class InitRoot extends TokenCommand {
        @Option(names = "--subject", required = true, description = "the CA's distinguished name, e.g. CN=Fleet Root")
        String subject;

        @Option(names = "--key-type", defaultValue = "EC-P256", description = "EC-P256, EC-P384, RSA-2048 or RSA-3072")
        String keyType;

        @Option(names = "--validity-days", defaultValue = "3650")
        long validityDays;

        InitRoot(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            X509Certificate root = new TokenCas(token).createRoot(options.alias, new X500Name(subject),
                    KeyType.of(keyType), Duration.ofDays(validityDays), Instant.now());
            write(options.out, Pem.encode(root));
            return "created CA '" + options.alias + "' in the token: " + root.getSubjectX500Principal();
        }
    }

    @Command(name = "init-issuing", description = "An issuing CA signed by a CA of the token; writes its chain.")
    static final class InitIssuing extends TokenCommand {
        @Option(names = "--issuer-alias", required = true, description = "the alias of the CA that signs it")
        String issuerAlias;

        @Option(names = "--subject", required = true)
        String subject;

        @Option(names = "--key-type", defaultValue = "EC-P256", description = "EC-P256, EC-P384, RSA-2048 or RSA-3072")
        String keyType;

        @Option(names = "--validity-days", defaultValue = "1825")
        long validityDays;

        InitIssuing(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            List<X509Certificate> chain = new TokenCas(token).createIssuing(options.alias, issuerAlias,
                    new X500Name(subject), KeyType.of(keyType), Duration.ofDays(validityDays), Instant.now());
            write(options.out, Pem.encode(chain.toArray(X509Certificate[]::new)));
            return "created issuing CA '" + options.alias + "' under '" + issuerAlias + "'";
        }
    }

    @Command(name = "request", description = "A CA key in the token and its CSR, for an external root to sign.")
    static final class Request extends TokenCommand {
        @Option(names = "--subject", required = true)
        String subject;

        @Option(names = "--key-type", defaultValue = "EC-P256", description = "EC-P256, EC-P384, RSA-2048 or RSA-3072")
        String keyType;

        Request(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            PKCS10CertificationRequest csr = new TokenCas(token).request(options.alias, new X500Name(subject),
                    KeyType.of(keyType), Instant.now());
            writeCsr(csr);
            return "created key '" + options.alias + "' in the token; CSR written to " + options.out;
        }
    }

    @Command(name = "import", description = "The signed chain of a requested key: the certificate first, then its issuers.")
    static final class Import extends TokenCommand {
        @Option(names = "--chain", required = true)
        Path chain;

        Import(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            List<X509Certificate> certificates = readChain(chain);
            new TokenCas(token).importChain(options.alias, certificates);
            write(options.out, Pem.encode(certificates.toArray(X509Certificate[]::new)));
            return "imported the signed certificate of '" + options.alias + "'";
        }

        static List<X509Certificate> readChain(Path file) {
            try (var in = Files.newInputStream(file)) {
                List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in)
                        .stream().map(X509Certificate.class::cast).toList();
                if (chain.isEmpty()) {
                    throw new IllegalArgumentException("no certificate in " + file);
                }
                return chain;
            } catch (IOException | CertificateException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "ocsp-responder", description = "Issues (or rolls: a new key each time) the CA's delegated OCSP "
            + "responder: a key in the token next to the CA's, certified by it with id-kp-OCSPSigning; writes its "
            + "chain. With --csr, certifies instead a responder key made in the responders' own token "
            + "(ocsp-responder-request).")
    static final class OcspResponder extends TokenCommand {
        @Option(names = "--validity-days", defaultValue = "90", description = "default ${DEFAULT-VALUE}")
        long validityDays;

        @Option(names = "--csr", description = "the CSR of a responder key made by ocsp-responder-request")
        Path csr;

        OcspResponder(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            TokenCas cas = new TokenCas(token);
            if (csr != null) {
                List<X509Certificate> chain = cas.certifyOcspResponder(options.alias, readCsr(csr),
                        Duration.ofDays(validityDays), Instant.now());
                write(options.out, Pem.encode(chain.toArray(X509Certificate[]::new)));
                return "certified an OCSP responder key of CA '" + options.alias + "', valid until "
                        + chain.get(0).getNotAfter().toInstant() + "; import " + options.out
                        + " into the responders' token (ocsp-responder-import)";
            }
            var issued = cas.issueOcspResponder(options.alias, Duration.ofDays(validityDays), Instant.now());
            write(options.out, Pem.encode(issued.getValue().toArray(X509Certificate[]::new)));
            return "issued the OCSP responder '" + issued.getKey() + "' of CA '" + options.alias + "', valid until "
                    + issued.getValue().get(0).getNotAfter().toInstant();
        }

        private static PKCS10CertificationRequest readCsr(Path file) {
            try (var parser = new PEMParser(Files.newBufferedReader(file))) {
                if (parser.readObject() instanceof PKCS10CertificationRequest request) {
                    return request;
                }
                throw new IllegalArgumentException(file + " holds no PEM CSR");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "ocsp-responder-request", description = "In the responders' own token (not the CA's): a new "
            + "OCSP responder key for the CA and its CSR, for ocsp-responder --csr in the CA's token.")
    static final class OcspResponderRequest extends TokenCommand {
        @Option(names = "--key-type", defaultValue = "EC-P256", description = "EC-P256, EC-P384, RSA-2048 or RSA-3072")
        String keyType;

        OcspResponderRequest(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            var requested = new TokenCas(token).requestOcspResponder(options.alias, KeyType.of(keyType),
                    Instant.now());
            writeCsr(requested.getValue());
            return "created the OCSP responder key '" + requested.getKey() + "' of CA '" + options.alias
                    + "'; CSR written to " + options.out;
        }
    }

    @Command(name = "ocsp-responder-import", description = "In the responders' own token: stores the chain the CA "
            + "issued (ocsp-responder --csr) with the key it certifies; responders sign with it from their next read.")
    static final class OcspResponderImport extends TokenCommand {
        @Option(names = "--chain", required = true)
        Path chain;

        OcspResponderImport(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            List<X509Certificate> certificates = Import.readChain(chain);
            String alias = new TokenCas(token).importOcspResponder(options.alias, certificates);
            write(options.out, Pem.encode(certificates.toArray(X509Certificate[]::new)));
            return "imported the OCSP responder '" + alias + "' of CA '" + options.alias + "', valid until "
                    + certificates.get(0).getNotAfter().toInstant();
        }
    }

    @Command(name = "export", description = "Writes the CA's whole chain.")
    static final class Export extends TokenCommand {
        Export(Supplier<char[]> pin) {
            super(pin);
        }

        @Override
        String run(Pkcs11Token token) {
            write(options.out, Pem.encode(CertificateAuthority.inToken(token, options.alias).chain()
                    .toArray(X509Certificate[]::new)));
            return null;
        }
    }
}
