package io.estuary.pki.ca;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Collection;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import io.estuary.pki.policy.InvalidCsrException;

/**
 * Carries a server-generated private key from the signer to the one frontend request that asked for it, across Kafka,
 * which stores what it carries: the key travels in a CMS EnvelopedData (ECDH P-256 + AES-256 key wrap, AES-256-GCM)
 * for a one-time key pair the frontend keeps in memory for that request only.
 */
public final class KeyTransport {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final byte[] RECIPIENT_ID = "estuary-frontend-request".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private KeyTransport() {
    }

    /** A one-time key pair for one serverkeygen request. */
    public static KeyPair oneTimeKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PublicKey publicKey(byte[] subjectPublicKeyInfo) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
        } catch (java.security.GeneralSecurityException e) {
            throw new InvalidCsrException("the key transport key is not an EC public key");
        }
    }

    /** Encrypts PKCS#8 bytes to the recipient's public key; returns DER EnvelopedData. */
    public static byte[] seal(byte[] pkcs8, PublicKey recipient) {
        try {
            KeyPair originator = oneTimeKeyPair();
            JceKeyAgreeRecipientInfoGenerator recipientInfo = new JceKeyAgreeRecipientInfoGenerator(
                    CMSAlgorithm.ECDH_SHA256KDF, originator.getPrivate(), originator.getPublic(),
                    CMSAlgorithm.AES256_WRAP).setProvider(BC);
            recipientInfo.addRecipient(RECIPIENT_ID, recipient);
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipientInfo);
            CMSEnvelopedData sealed = generator.generate(new CMSProcessableByteArray(pkcs8),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(BC).build());
            return sealed.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException("cannot seal the generated key", e);
        }
    }

    /** Opens what {@link #seal} made for this key pair; returns the PKCS#8 bytes. */
    public static byte[] open(byte[] envelopedData, PrivateKey recipient) {
        try {
            Collection<RecipientInformation> recipients = new CMSEnvelopedData(envelopedData).getRecipientInfos()
                    .getRecipients();
            for (RecipientInformation info : recipients) {
                return info.getContent(new JceKeyAgreeEnvelopedRecipient(recipient).setProvider(BC));
            }
            throw new IllegalStateException("no recipient in the sealed key");
        } catch (org.bouncycastle.cms.CMSException e) {
            throw new IllegalStateException("cannot open the sealed key", e);
        }
    }
}
