package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What an application that depends on presence-server gets: this module's pom.xml is the published one (the shade
 * plugin writes no reduced pom), and Maven passes on none of its optional or test dependencies. Of logging, that
 * must be slf4j-api alone, so the application's own backend and bridges stay the only ones.
 */
class EmbedderDependenciesTest {
  /** Backends and bridges: each one on an application's class path competes with, or rewires, its logging. */
  private static final Set<String> LOGGING_IMPLEMENTATIONS = Set.of("logback-classic", "logback-core",
      "jul-to-slf4j", "jcl-over-slf4j", "log4j-over-slf4j", "slf4j-simple", "slf4j-jdk14", "slf4j-reload4j",
      "log4j-slf4j2-impl", "log4j-slf4j-impl");

  @Test
  @DisplayName("The dependencies an embedding application inherits include slf4j-api and no logging backend or bridge")
  void embeddersGetSlf4jApiOnly() throws Exception {
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(modulePom().toFile())
        .getDocumentElement();
    NodeList dependencies = ((Element) project.getElementsByTagName("dependencies").item(0))
        .getElementsByTagName("dependency");
    List<String> inherited = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      String scope = text(d, "scope", "compile");
      boolean optional = Boolean.parseBoolean(text(d, "optional", "false"));
      if (!optional && (scope.equals("compile") || scope.equals("runtime"))) {
        inherited.add(text(d, "artifactId", ""));
      }
    }
    assertThat(inherited).contains("slf4j-api").doesNotContainAnyElementsOf(LOGGING_IMPLEMENTATIONS);
  }

  private static String text(Element parent, String child, String absent) {
    NodeList nodes = parent.getElementsByTagName(child);
    return nodes.getLength() == 0 ? absent : nodes.item(0).getTextContent().trim();
  }

  /** Surefire runs in the module's directory; from the repository root, the module is one level down. */
  private static Path modulePom() {
    for (Path pom : List.of(Path.of("pom.xml"), Path.of("reference-server", "pom.xml"))) {
      if (Files.isRegularFile(pom) && pom.toAbsolutePath().getParent().endsWith("reference-server")) {
        return pom;
      }
    }
    throw new AssertionError("no reference-server/pom.xml from " + Path.of("").toAbsolutePath());
  }
}
