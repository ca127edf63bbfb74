package dev.presence.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made for a test with the JDK's own keytool (always present where the tests
 * run), then written as the PEM files the server takes: the certificate, and the key as PKCS#8.
 */
public final class TestCerts {
  private static final char[] STORE_PASSWORD = "test-only".toCharArray();

  /** A certificate file and its key file. @param cert PEM certificate @param key PEM PKCS#8 key */
  public record Pair(Path cert, Path key) {}

  private TestCerts() {}

  /**
   * @param dir where to write
   * @param name alias, common name and file prefix
   * @return a certificate valid for 127.0.0.1 and localhost, and its key
   */
  public static Pair selfSigned(Path dir, String name) throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(store)) {
        ks.load(in, STORE_PASSWORD);
      }
      PrivateKey key = (PrivateKey) ks.getKey(name, STORE_PASSWORD);
      Certificate cert = ks.getCertificate(name);
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      return new Pair(certFile, keyFile);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /**
   * @param trusted a certificate to trust
   * @param identity a client certificate and key to present, or null
   * @return a JDK TLS context, for clients other than Netty's
   */
  public static javax.net.ssl.SSLContext jdkContext(Pair trusted, Pair identity) throws IOException {
    try {
      java.security.cert.CertificateFactory x509 = java.security.cert.CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(trusted.cert())) {
        trust.setCertificateEntry("trusted", x509.generateCertificate(in));
      }
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.KeyManager[] keyManagers = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        String der = Files.readString(identity.key()).replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = java.security.KeyFactory.getInstance("EC")
            .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(der)));
        try (var in = Files.newInputStream(identity.cert())) {
          keys.setKeyEntry("identity", key, STORE_PASSWORD, new Certificate[] {x509.generateCertificate(in)});
        }
        javax.net.ssl.KeyManagerFactory kmf =
            javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        keyManagers = kmf.getKeyManagers();
      }
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(keyManagers, tmf.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
