package dev.presence.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client's rule coverage (issue point 4): every SPEC.md rule that binds clients is named by a client test
 * with {@link Covers}, or exempt here with a reason. Until the conformance kit can check clients, this is where a
 * new client rule without a test fails the build.
 */
class ClientRuleCoverageTest {
  private static final String SPEAKS_GRPC_ONLY =
      "a rule of the WebSocket binding (SPEC.md §2.2), which binds only clients that speak it; this client speaks gRPC";

  /** Client rules no client test checks, each with the reason. */
  static final Map<String, String> EXEMPT = Map.of(
      "PRS-EVO-1", "a rule about the schema, checked on presence.proto by `buf breaking` (WIRE_JSON), not by code",
      "PRS-OPN-11", "a MAY for clients: this client waits for `opened` before sending further frames",
      "PRS-WS-1", SPEAKS_GRPC_ONLY,
      "PRS-WS-3", SPEAKS_GRPC_ONLY,
      "PRS-WS-4", SPEAKS_GRPC_ONLY,
      "PRS-WS-6", SPEAKS_GRPC_ONLY,
      "PRS-WS-11", SPEAKS_GRPC_ONLY);

  private static SpecDocument spec;
  private static Map<String, Set<String>> covered;

  @BeforeAll
  static void read() throws IOException, URISyntaxException {
    spec = SpecDocument.read(Path.of("..", "SPEC.md"));
    covered = coverage();
  }

  private static Set<String> clientRules() {
    return spec.requirements().stream()
        .filter(r -> r.level() != Requirement.Level.WITHDRAWN && r.bindsClient())
        .map(Requirement::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyClientRuleIsCoveredOrExempt() {
    Set<String> missing = new TreeSet<>(clientRules());
    missing.removeAll(covered.keySet());
    missing.removeAll(EXEMPT.keySet());
    assertThat(missing).as("client rules that no test names with @Covers and that are not exempt").isEmpty();
  }

  @Test
  void everyCoveredRuleIsALiveClientRule() {
    Map<String, Set<String>> stale = new TreeMap<>(covered);
    stale.keySet().removeAll(clientRules());
    assertThat(stale).as("@Covers naming a rule that SPEC.md does not define for clients, with where").isEmpty();
  }

  @Test
  void everyExemptionIsALiveClientRuleThatNoTestCovers() {
    assertThat(clientRules()).as("exempt rules defined for clients").containsAll(EXEMPT.keySet());
    assertThat(covered.keySet()).as("rules both covered and exempt").doesNotContainAnyElementsOf(EXEMPT.keySet());
  }

  /** Rule id to the test classes and methods that name it, from every compiled test class. */
  private static Map<String, Set<String>> coverage() throws IOException, URISyntaxException {
    Path root = Path.of(ClientRuleCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, Set<String>> byRule = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
            .replaceAll("\\.class$", "");
        Class<?> type = load(name);
        record(byRule, type, type.getName());
        for (var method : type.getDeclaredMethods()) {
          record(byRule, method, type.getSimpleName() + "." + method.getName());
        }
      }
    }
    return byRule;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ClientRuleCoverageTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("compiled test class not loadable: " + name, e);
    }
  }

  private static void record(Map<String, Set<String>> byRule, AnnotatedElement element, String where) {
    for (Covers c : element.getAnnotationsByType(Covers.class)) {
      byRule.computeIfAbsent(c.value(), k -> new TreeSet<>()).add(where);
    }
  }
}
