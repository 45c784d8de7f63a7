package io.jitsiops.backup.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Certificates of a restored tree: every PEM chain parses and each certificate is signed by the next one; each
 * private key ({@code privkey.pem} in Let's Encrypt's layout, or any PEM private key) matches the certificate
 * beside it (a signature made with the key verifies with the certificate's public key).
 */
public final class CertificateChecks {
    private static final Pattern CERT = Pattern.compile("-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private CertificateChecks() {
    }

    public static List<Check> check(String item, Path root) throws IOException {
        List<Check> checks = new ArrayList<>();
        List<Path> pems;
        try (Stream<Path> walk = Files.walk(root)) {
            pems = walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(pem|crt|cer|key)$")).sorted().toList();
        }
        for (Path p : pems) {
            String text = Files.readString(p, StandardCharsets.US_ASCII);
            String rel = root.relativize(p).toString();
            if (text.contains("BEGIN CERTIFICATE")) {
                checks.add(chain(item, rel, text));
            }
        }
        // Keys are matched in the folder they are used from (live/<domain>/ links into archive/).
        List<Path> keys;
        try (Stream<Path> walk = Files.walk(root)) {
            keys = walk.filter(p -> p.getFileName().toString().matches("privkey.*\\.pem|.*\\.key")).sorted().toList();
        }
        for (Path k : keys) {
            if (!Files.exists(k)) {
                checks.add(Check.failed(item, "private-key", root.relativize(k) + " is a dangling link"));
                continue;
            }
            String rel = root.relativize(k).toString();
            Path dir = k.getParent();
            Path certFile = Stream.of("cert.pem", "fullchain.pem", k.getFileName().toString().replaceAll("\\.key$", ".crt"),
                            k.getFileName().toString().replace("privkey", "cert"))
                    .map(dir::resolve).filter(p -> !p.equals(k)).filter(Files::exists).findFirst().orElse(null);
            if (certFile == null) {
                continue; // a key without a certificate beside it: nothing to match it with
            }
            checks.add(keyMatches(item, rel, Files.readString(k, StandardCharsets.US_ASCII),
                    Files.readString(certFile, StandardCharsets.US_ASCII), root.relativize(certFile).toString()));
        }
        return checks;
    }

    static Check chain(String item, String rel, String text) {
        try {
            List<X509Certificate> certs = certificates(text);
            for (int i = 0; i + 1 < certs.size(); i++) {
                X509Certificate c = certs.get(i);
                X509Certificate issuer = certs.get(i + 1);
                if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                    return Check.failed(item, "certificate-chain", rel + ": certificate " + i + " is issued by "
                            + c.getIssuerX500Principal() + ", but the next one is " + issuer.getSubjectX500Principal());
                }
                c.verify(issuer.getPublicKey());
            }
            X509Certificate leaf = certs.get(0);
            return Check.ok(item, "certificate-chain", rel + ": " + certs.size() + " certificate(s), " + leaf.getSubjectX500Principal()
                    + ", valid until " + leaf.getNotAfter().toInstant());
        } catch (GeneralSecurityException | RuntimeException e) {
            return Check.failed(item, "certificate-chain", rel + ": " + e.getMessage());
        }
    }

    static Check keyMatches(String item, String keyRel, String keyPem, String certPem, String certRel) {
        Matcher m = PKCS8.matcher(keyPem);
        if (!m.find()) {
            return Check.ok(item, "private-key", keyRel + ": not PKCS#8 (BEGIN PRIVATE KEY); not matched with " + certRel);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            X509Certificate cert = certificates(certPem).get(0);
            PublicKey pub = cert.getPublicKey();
            PrivateKey key = KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
            String alg = switch (pub.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> pub.getAlgorithm();
            };
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig)
                    ? Check.ok(item, "private-key", keyRel + " matches " + certRel)
                    : Check.failed(item, "private-key", keyRel + " does not match the certificate " + certRel);
        } catch (GeneralSecurityException | RuntimeException e) {
            return Check.failed(item, "private-key", keyRel + " does not match the certificate " + certRel + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(String text) throws GeneralSecurityException {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = CERT.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in the file");
        }
        return certs;
    }
}
