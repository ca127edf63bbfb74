package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.TlsTrust;
import dev.presence.conformance.driver.WebSocketEndpoint;
import dev.presence.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// with the roots of {@code --ca}: the JDK client's sessions, the kit's own client's handshakes, and sessions
 * through the fault relay, whose certificate check still names the target's host.
 */
// The resources close by waiting for a server to stop; an interrupt then fails the test, as it should.
@SuppressWarnings("try")
class SecureWebSocketTest {

  private static final char[] PASSWORD = "test-only".toCharArray();
  private static final List<String> RULES = List.of("PRS-WS-3", "PRS-WS-10", "PRS-END-3");

  @TempDir
  Path dir;

  @Test
  void casesOverWssPassWithTheRootsOfAPemFile() throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    selfSigned(cert, key);
    try (EmbeddedServer server = EmbeddedServer.start(ServerConfig.builder().tlsCertFile(cert.toString())
        .tlsKeyFile(key.toString()))) {
      WebSocketEndpoint wss = WebSocketEndpoint.of(URI.create("wss://localhost:" + server.server().wsPort()),
          TlsTrust.fromPem(cert));
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      SuiteResult result = ConformanceSuite.builder(Endpoints.of(wss)).seed(3).scenarios(0).reruns(0)
          .select(RULES::contains).progress(new PrintStream(log, true, StandardCharsets.UTF_8)).build().run();
      for (String id : RULES) {
        RequirementResult r = result.results().stream().filter(x -> x.requirement().id().equals(id))
            .findFirst().orElseThrow();
        assertThat(r.verdict()).as("%s: %s%n%s", id, r.detail(), log).isEqualTo(Verdict.PASS);
      }
    }
  }

  /** A self-signed certificate for localhost from the JDK's keytool, written as PEM certificate and PKCS#8 key. */
  private void selfSigned(Path cert, Path key) throws Exception {
    Path store = dir.resolve("server.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("server", PASSWORD).getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
