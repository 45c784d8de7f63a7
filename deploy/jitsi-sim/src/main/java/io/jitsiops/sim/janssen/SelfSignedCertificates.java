package io.jitsiops.sim.janssen;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The self-signed certificate jans-auth puts in each JWKS key's {@code x5c}: subject and issuer
 * {@code CN=Jans Auth CA Certificates}, a 256-bit serial, validity from creation to the key's expiry, and an
 * extended key usage of serverAuth, clientAuth and anyExtendedKeyUsage, signed with the key's own algorithm
 * family (recorded JWKS in {@code src/test/resources/recorded/janssen/}). The JDK has no public certificate
 * builder and the simulator needs only this one fixed shape, so the few DER structures are written here rather
 * than adding BouncyCastle's PKIX module.
 */
final class SelfSignedCertificates {
    private static final String SUBJECT = "Jans Auth CA Certificates";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificates() {
    }

    /**
     * @param jcaAlg the JCA signature name ({@code SHA256withRSA}, {@code SHA384withECDSA}, {@code RSASSA-PSS/SHA-256}…)
     */
    static byte[] create(KeyPair pair, String jcaAlg, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        byte[] algId = algorithmIdentifier(jcaAlg);
        byte[] name = seq(set(seq(oid("2.5.4.3"), tlv(0x0C, SUBJECT.getBytes(StandardCharsets.UTF_8)))));
        byte[] eku = seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"), oid("2.5.29.37.0"));
        byte[] extensions = tlv(0xA3, seq(seq(oid("2.5.29.37"), tlv(0x04, eku))));
        byte[] tbs = seq(tlv(0xA0, integer(BigInteger.TWO)), integer(new BigInteger(256, RANDOM)), algId, name,
                seq(utcTime(notBefore), utcTime(notAfter)), name, pair.getPublic().getEncoded(), extensions);
        Signature signer = signer(jcaAlg);
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] sig = signer.sign();
        byte[] bits = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bits, 1, sig.length);
        return seq(tbs, algId, tlv(0x03, bits));
    }

    private static Signature signer(String jcaAlg) throws GeneralSecurityException {
        if (jcaAlg.startsWith("RSASSA-PSS/")) {
            String digest = jcaAlg.substring("RSASSA-PSS/".length());
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), digestLength(digest), 1));
            return s;
        }
        return Signature.getInstance(jcaAlg);
    }

    private static byte[] algorithmIdentifier(String jcaAlg) {
        return switch (jcaAlg) {
            case "SHA256withRSA" -> seq(oid("1.2.840.113549.1.1.11"), NULL);
            case "SHA384withRSA" -> seq(oid("1.2.840.113549.1.1.12"), NULL);
            case "SHA512withRSA" -> seq(oid("1.2.840.113549.1.1.13"), NULL);
            case "SHA256withECDSA" -> seq(oid("1.2.840.10045.4.3.2"));
            case "SHA384withECDSA" -> seq(oid("1.2.840.10045.4.3.3"));
            case "SHA512withECDSA" -> seq(oid("1.2.840.10045.4.3.4"));
            default -> {
                if (!jcaAlg.startsWith("RSASSA-PSS/")) {
                    throw new IllegalArgumentException("no certificate algorithm for " + jcaAlg);
                }
                String digest = jcaAlg.substring("RSASSA-PSS/".length());
                byte[] hash = seq(oid(digestOid(digest)), NULL);
                yield seq(oid("1.2.840.113549.1.1.10"), seq(tlv(0xA0, hash), tlv(0xA1, seq(oid("1.2.840.113549.1.1.8"), hash)),
                        tlv(0xA2, integer(BigInteger.valueOf(digestLength(digest))))));
            }
        };
    }

    private static String digestOid(String digest) {
        return switch (digest) {
            case "SHA-256" -> "2.16.840.1.101.3.4.2.1";
            case "SHA-384" -> "2.16.840.1.101.3.4.2.2";
            default -> "2.16.840.1.101.3.4.2.3";
        };
    }

    private static int digestLength(String digest) {
        return switch (digest) {
            case "SHA-256" -> 32;
            case "SHA-384" -> 48;
            default -> 64;
        };
    }

    private static final byte[] NULL = { 0x05, 0x00 };

    private static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7F);
                v >>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
