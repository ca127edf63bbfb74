package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import dev.presence.conformance.driver.Credentials;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.ForgedCredentials;
import dev.presence.conformance.spec.SpecDocument;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PRS-IDN-1 and PRS-IDN-2 against the reference server: with tokens it passes every credential case, with the
 * development mode's claimed identities every case is NOT-APPLICABLE and the report names what went unchecked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialCasesTest {

  private static final String SECRET = "credential-cases-self-test-secret-32+-bytes";
  private static final Set<String> IDENTITY_RULES = Set.of("PRS-IDN-1", "PRS-IDN-2");

  private EmbeddedServer jwtServer;
  private EmbeddedServer devServer;
  private ManagedChannel jwtChannel;
  private ManagedChannel devChannel;

  @BeforeAll
  void startServers() throws IOException {
    jwtServer = EmbeddedServer.start(ServerConfig.builder().authMode(AuthMode.JWT).jwtSecret(SECRET));
    devServer = EmbeddedServer.start(ServerConfig.builder());
    jwtChannel = jwtServer.channel();
    devChannel = devServer.channel();
  }

  @AfterAll
  void stopServers() throws InterruptedException {
    jwtServer.close();
    devServer.close();
  }

  private static String token(String subject, Instant notBefore, Instant expiresAt) {
    return Jwts.builder().subject(subject).claim("name", "Name of " + subject).notBefore(Date.from(notBefore))
        .expiration(Date.from(expiresAt)).signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)))
        .compact();
  }

  private static String valid(String user) {
    Instant now = Instant.now();
    return token("cred-" + user, now.minusSeconds(60), now.plusSeconds(3600));
  }

  private SuiteResult run(ManagedChannel channel, Credentials credentials) throws InterruptedException {
    return run(ConformanceSuite.builder(channel), IDENTITY_RULES, credentials);
  }

  private SuiteResult run(ConformanceSuite.Builder suite, Set<String> rules, Credentials credentials)
      throws InterruptedException {
    return suite.targetDescription("reference server").seed(1).scenarios(1).reruns(0)
        .select(rules::contains).credentials(credentials)
        .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build().run();
  }

  private static RequirementResult result(SuiteResult suite, String id) {
    return suite.results().stream().filter(r -> r.requirement().id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void withTokensIncludingExpiredAndNotYetValidOnesEveryCredentialCaseRunsAndPasses() throws Exception {
    Instant now = Instant.now();
    SuiteResult suite = run(jwtChannel, Credentials.bearerTokens(CredentialCasesTest::valid, Map.of(
        Credentials.Unusable.EXPIRED, token("cred-u1", now.minusSeconds(7200), now.minusSeconds(3600)),
        Credentials.Unusable.NOT_YET_VALID, token("cred-u1", now.plusSeconds(3600), now.plusSeconds(7200)))));

    for (String id : IDENTITY_RULES) {
      assertThat(result(suite, id).verdict()).as(result(suite, id).detail()).isEqualTo(Verdict.PASS);
      assertThat(result(suite, id).detail()).doesNotContain("not checked");
    }
  }

  /**
   * Over both bindings at once the forged credentials travel as bearer entries on WebSocket sessions, and the
   * cases of PRS-WS-7 that need tokens run.
   */
  @Test
  void withTokensOverBothBindingsTheCredentialCasesAndTheBearerEntryCasesPass() throws Exception {
    Set<String> rules = Set.of("PRS-IDN-1", "PRS-IDN-2", "PRS-WS-7");
    SuiteResult suite = run(ConformanceSuite.builder(Endpoints.of(jwtServer.grpcEndpoint(), jwtServer.webSocket())),
        rules, Credentials.bearerTokens(CredentialCasesTest::valid));

    for (String id : rules) {
      assertThat(result(suite, id).verdict()).as(result(suite, id).detail()).isEqualTo(Verdict.PASS);
    }
    assertThat(result(suite, "PRS-WS-7").detail()).doesNotContain("not checked");
  }

  @Test
  void withTokensButNoUnusableOnesThePassSaysExpiryAndValidityStartWentUnchecked() throws Exception {
    SuiteResult suite = run(jwtChannel, Credentials.bearerTokens(CredentialCasesTest::valid));

    assertThat(result(suite, "PRS-IDN-1").verdict()).isEqualTo(Verdict.PASS);
    RequirementResult idn2 = result(suite, "PRS-IDN-2");
    assertThat(idn2.verdict()).as(idn2.detail()).isEqualTo(Verdict.PASS);
    assertThat(idn2.detail()).contains("not checked: that a validly signed but expired token is refused")
        .contains("not checked: that a validly signed but not-yet-valid token is refused")
        .contains("key 'expired'").contains("key 'not-yet-valid'");
  }

  @Test
  void withoutTokensEveryCredentialCaseIsNotApplicableAndSaysWhatWentUnchecked() throws Exception {
    SuiteResult suite = run(devChannel, Credentials.devIdentity("cred-"));

    RequirementResult idn1 = result(suite, "PRS-IDN-1");
    assertThat(idn1.verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(idn1.detail()).contains("dev_user_id and dev_display_name claimed in the open frame")
        .contains("sub claim was rewritten").contains("--tokens");
    RequirementResult idn2 = result(suite, "PRS-IDN-2");
    assertThat(idn2.verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(idn2.detail()).contains("without an authorization header").contains("malformed authorization")
        .contains("altered signature").contains("expired token").contains("not-yet-valid token");
  }

  @Test
  void forgeriesOfAValidTokenAreRefusedByAServerThatAcceptsTheTokenItself() {
    String token = valid("u1");

    assertThat(ForgedCredentials.isJwt(token)).isTrue();
    assertThat(ForgedCredentials.withAlteredSignature(token)).isNotEqualTo(token)
        .startsWith(token.substring(0, token.lastIndexOf('.') + 1));
    assertThat(ForgedCredentials.withSubject(token, "someone \"else\"")).hasValueSatisfying(forged -> {
      String payload = new String(java.util.Base64.getUrlDecoder().decode(forged.split("\\.")[1]),
          StandardCharsets.UTF_8);
      assertThat(payload).contains("\"sub\":\"someone \\\"else\\\"\"").doesNotContain("\"sub\":\"cred-u1\"");
      assertThat(forged).endsWith(token.substring(token.lastIndexOf('.')));
    });
    assertThat(ForgedCredentials.unsigned(token)).hasValueSatisfying(t -> assertThat(t).endsWith("."));
    assertThat(ForgedCredentials.withSubject("opaque-token", "x")).isEmpty();
    assertThat(ForgedCredentials.withAlteredSignature("opaque-token")).isNotEqualTo("opaque-token");
  }

  @Test
  void everyCredentialCaseQuotesItsRuleWordForWord() {
    SpecDocument spec = SpecDocument.bundled();
    for (DirectedCase c : DirectedCases.all()) {
      if (IDENTITY_RULES.contains(c.requirementId())) {
        String text = spec.requirement(c.requirementId()).orElseThrow().text().replaceAll("\\s+", " ");
        assertThat(c.clauses()).isNotEmpty().allSatisfy(clause -> assertThat(text).contains(clause));
      }
    }
  }
}
