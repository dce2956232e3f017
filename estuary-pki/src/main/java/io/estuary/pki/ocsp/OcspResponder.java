package io.estuary.pki.ocsp;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponseStatus;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import io.estuary.pki.ca.CertificateAuthority;
import io.estuary.pki.token.TokenUnavailableException;

/**
 * An RFC 6960 OCSP responder for the CAs it holds delegated responder keys of: parses a request into an
 * {@link OcspQuery}, and signs the answer (good, revoked with time and reason, or unknown per certificate, the nonce
 * repeated when asked) with the CA's responder key, the responder's certificate included so a client can check it
 * against the CA. Thread-safe.
 */
public final class OcspResponder {
    private final List<Responder> responders;
    private final Duration validity;
    private final DigestCalculatorProvider digests;

    private record Responder(ResponderKey key, X509CertificateHolder ca, X509CertificateHolder[] chain,
            RespID id, String signatureAlgorithm) {
    }

    /**
     * @param keys     the responder of each CA answered for
     * @param validity how long an answer is valid (its nextUpdate after thisUpdate)
     */
    public OcspResponder(List<ResponderKey> keys, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the validity of an OCSP answer must be positive, got " + validity);
        }
        this.validity = validity;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
            List<Responder> built = new ArrayList<>();
            for (ResponderKey key : keys) {
                X509CertificateHolder responder = new JcaX509CertificateHolder(key.certificate());
                RespID id = new RespID(SubjectPublicKeyInfo.getInstance(key.certificate().getPublicKey().getEncoded()),
                        digests.get(CertificateID.HASH_SHA1));
                built.add(new Responder(key, new JcaX509CertificateHolder(key.ca()),
                        new X509CertificateHolder[] { responder }, id,
                        CertificateAuthority.signatureAlgorithm(key.key(), key.certificate().getPublicKey())));
            }
            this.responders = List.copyOf(built);
        } catch (OperatorCreationException | OCSPException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot set up the OCSP responder: " + e.getMessage(), e);
        }
    }

    public Duration validity() {
        return validity;
    }

    /** The CAs answered for. */
    public List<ResponderKey> keys() {
        return responders.stream().map(Responder::key).toList();
    }

    /**
     * Parses a DER OCSPRequest (its optional signature is not checked: requests are answered for anyone).
     *
     * @throws OcspRefusal malformedRequest for what is not an OCSP request or names no certificate; unauthorized for
     *                     a certificate of a CA not answered for, or of two CAs
     */
    public OcspQuery parse(byte[] der) {
        OCSPReq request;
        try {
            request = new OCSPReq(der);
        } catch (IOException | RuntimeException e) {
            throw new OcspRefusal(OcspRefusal.Status.MALFORMED_REQUEST, "not a DER OCSPRequest", e);
        }
        Req[] list = request.getRequestList();
        if (list.length == 0) {
            throw new OcspRefusal(OcspRefusal.Status.MALFORMED_REQUEST, "the request names no certificate");
        }
        Responder responder = null;
        List<CertificateID> ids = new ArrayList<>();
        for (Req req : list) {
            CertificateID id = req.getCertID();
            Responder of = responderOf(id);
            if (of == null) {
                throw new OcspRefusal(OcspRefusal.Status.UNAUTHORIZED, "a certificate of a CA not answered for");
            }
            if (responder != null && responder != of) {
                throw new OcspRefusal(OcspRefusal.Status.UNAUTHORIZED, "certificates of two CAs in one request");
            }
            responder = of;
            ids.add(id);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && nonce.getExtnValue().getOctets().length > 130) {
            // RFC 8954: a nonce is 1 to 32 octets; some clients send more, none this much.
            throw new OcspRefusal(OcspRefusal.Status.MALFORMED_REQUEST, "a nonce longer than 128 octets");
        }
        return new OcspQuery(responder.key(), ids, nonce);
    }

    private Responder responderOf(CertificateID id) {
        for (Responder responder : responders) {
            try {
                if (id.matchesIssuer(responder.ca(), digests)) {
                    return responder;
                }
            } catch (OCSPException e) {
                // A hash algorithm not supported: no CA matches it.
                return null;
            }
        }
        return null;
    }

    /** An answer and until when a client may rely on it. */
    public record Answer(byte[] der, Instant nextUpdate) {
    }

    /**
     * Signs the answer to a query: each certificate's status as {@code statuses} gives it, thisUpdate and producedAt
     * now, nextUpdate after the validity, but never after the responder certificate's notAfter (a client could not
     * check the answer's signature beyond it).
     *
     * @throws TokenUnavailableException when the responder key cannot sign (its token is not available)
     * @throws OcspRefusal               tryLater when the responder certificate has expired (roll it)
     */
    public Answer answer(OcspQuery query, Function<CertificateID, SerialStatus> statuses, Instant now) {
        Responder responder = responders.stream().filter(r -> r.key() == query.responder()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a query of another responder"));
        Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
        Instant responderExpiry = responder.key().certificate().getNotAfter().toInstant();
        if (!thisUpdate.isBefore(responderExpiry)) {
            throw new OcspRefusal(OcspRefusal.Status.TRY_LATER, "the OCSP responder certificate of CA '"
                    + responder.key().alias() + "' expired at " + responderExpiry
                    + " (deploy/estuary ca ocsp-responder rolls it)");
        }
        Instant nextUpdate = thisUpdate.plus(validity);
        if (nextUpdate.isAfter(responderExpiry)) {
            nextUpdate = responderExpiry;
        }
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responder.id());
        for (CertificateID id : query.ids()) {
            builder.addResponse(id, status(statuses.apply(id)), Date.from(thisUpdate), Date.from(nextUpdate), null);
        }
        if (query.nonce() != null) {
            builder.setResponseExtensions(new Extensions(query.nonce()));
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder(responder.signatureAlgorithm())
                    .setProvider(responder.key().provider()).build(responder.key().key());
            OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    builder.build(signer, responder.chain(), Date.from(thisUpdate)));
            return new Answer(response.getEncoded(), nextUpdate);
        } catch (OperatorCreationException | OCSPException | java.security.ProviderException
                | org.bouncycastle.operator.RuntimeOperatorException e) {
            throw new TokenUnavailableException("the OCSP responder key of CA '" + responder.key().alias()
                    + "' cannot sign: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the OCSP answer", e);
        }
    }

    private static CertificateStatus status(SerialStatus status) {
        if (status instanceof SerialStatus.Revoked revoked) {
            return new RevokedStatus(Date.from(revoked.revokedAt().truncatedTo(ChronoUnit.SECONDS)),
                    revoked.reasonCode());
        }
        return status instanceof SerialStatus.Good ? CertificateStatus.GOOD : new UnknownStatus();
    }

    /** The unsigned answer of a refusal: its status and nothing else (RFC 6960 §2.3). */
    public static byte[] refusal(OcspRefusal.Status status) {
        try {
            return new OCSPResp(new OCSPResponse(new OCSPResponseStatus(status.code), null)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
