package dev.presence.conformance.driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which server certificates the kit trusts on {@code wss://}: the system's roots, or the PEM roots of {@code --ca},
 * as for gRPC with {@code --tls}. A connection relayed through a loopback proxy still checks the certificate against
 * the target's own host name, as gRPC's authority override does.
 */
public final class TlsTrust {

  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private final X509TrustManager roots;

  private TlsTrust(X509TrustManager roots) {
    this.roots = roots;
  }

  /** Trusts the system's roots. */
  public static TlsTrust systemRoots() {
    return new TlsTrust(trustManager(null));
  }

  /**
   * Trusts the certificates of a PEM file, and nothing else.
   *
   * @param pem the file
   * @throws IOException if it cannot be read or holds no certificate
   */
  public static TlsTrust fromPem(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      if (n == 0) {
        throw new IOException(pem + " holds no certificate");
      }
      return new TlsTrust(trustManager(store));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the roots of " + pem + ": " + e.getMessage(), e);
    }
  }

  /** Returns a TLS context that trusts these roots and checks host names as usual. */
  public SSLContext context() {
    return contextWith(roots);
  }

  /**
   * Returns a TLS context that trusts these roots and checks the server's certificate against {@code host},
   * whatever address the connection went to.
   */
  public SSLContext contextFor(String host) {
    return contextWith(new HostPinned(roots, host));
  }

  private static SSLContext contextWith(X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager in this JVM");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  /** Checks the chain against the roots and the leaf against a fixed host, not the one connected to. */
  private static final class HostPinned extends X509ExtendedTrustManager {
    private final X509TrustManager roots;
    private final String host;

    HostPinned(X509TrustManager roots, String host) {
      this.roots = roots;
      this.host = host.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      roots.checkServerTrusted(chain, authType);
      if (!names(chain[0]).stream().anyMatch(this::matches)) {
        throw new CertificateException("the certificate does not name " + host);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the kit is never a TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return roots.getAcceptedIssuers();
    }

    private static List<String> names(X509Certificate leaf) throws CertificateException {
      var alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives == null) {
        return List.of();
      }
      return alternatives.stream().filter(n -> (Integer) n.get(0) == DNS_NAME || (Integer) n.get(0) == IP_ADDRESS)
          .map(n -> ((String) n.get(1)).toLowerCase(Locale.ROOT)).toList();
    }

    /** RFC 6125 §6.4: an exact match, or a wildcard that stands for exactly the first label. */
    private boolean matches(String name) {
      if (name.startsWith("*.")) {
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(name.substring(1));
      }
      return name.equals(host);
    }
  }
}
