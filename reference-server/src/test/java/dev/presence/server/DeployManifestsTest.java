package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.PresenceServiceGrpc;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The deployment files under {@code deploy/} against the server itself: every flag and {@code PRESENCE_*} variable
 * they use is an option of {@link Main} (read from picocli's model of it, not from a list kept here), the probes
 * and the scrape annotation point at the ports the server is told to use, and the termination grace period
 * outlasts the drain window plus the shutdown grace. A file that names an option the server lacks fails with that
 * option's name.
 */
class DeployManifestsTest {
  /** The image name (without registry and tag) of the server's containers. */
  private static final String SERVER_IMAGE = "presence-server";
  private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");
  /**
   * How every option of Main names its environment variable and its fallback: {@code ${env:PRESENCE_X:-5000}}; an
   * option whose default ServerConfig derives from another setting has none ({@code ${env:PRESENCE_X}}).
   */
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(PRESENCE_[A-Z0-9_]+)(?::-(.*))?}");
  private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");

  private static Path deploy;
  private static Map<String, OptionSpec> optionsByFlag;
  private static Map<String, OptionSpec> optionsByEnv;
  /** Every document of every manifest, keyed by "file#index". */
  private static Map<String, Map<String, Object>> documents;

  @BeforeAll
  static void load() throws IOException {
    deploy = repositoryRoot().resolve("deploy");
    optionsByFlag = new TreeMap<>();
    optionsByEnv = new TreeMap<>();
    for (OptionSpec o : Main.commandLine().getCommandSpec().options()) {
      for (String name : o.names()) {
        optionsByFlag.put(name, o);
      }
      Matcher m = ENV_DEFAULT.matcher(String.valueOf(o.defaultValueString()));
      if (m.matches()) {
        optionsByEnv.put(m.group(1), o);
      }
    }
    documents = new LinkedHashMap<>();
    for (Path file : manifestFiles()) {
      int index = 0;
      try (Reader in = Files.newBufferedReader(file)) {
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
          if (doc != null) {
            documents.put(file.getFileName() + "#" + index, map(doc, file.getFileName().toString()));
          }
          index++;
        }
      }
    }
  }

  /** Surefire runs in the module's folder, an IDE perhaps in the repository's: look upwards. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/kubernetes")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new AssertionError("no deploy/kubernetes above " + Path.of("").toAbsolutePath());
  }

  private static List<Path> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(deploy.resolve("kubernetes"))) {
      return files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted()
          .toList();
    }
  }

  @Test
  @DisplayName("Every manifest parses into named Kubernetes objects, and kustomization.yaml lists every one")
  void manifestsParseAndKustomizationListsThemAll() throws IOException {
    assertThat(documents).isNotEmpty();
    documents.forEach((where, doc) -> {
      assertThat(doc.get("apiVersion")).as("%s apiVersion", where).isInstanceOf(String.class);
      assertThat(doc.get("kind")).as("%s kind", where).isInstanceOf(String.class);
      assertThat(map(doc.get("metadata"), where).get("name")).as("%s metadata.name", where).isInstanceOf(String.class);
    });
    Map<String, Object> kustomization;
    try (Reader in = Files.newBufferedReader(deploy.resolve("kubernetes/kustomization.yaml"))) {
      kustomization = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in), "kustomization.yaml");
    }
    Set<String> listed = new TreeSet<>(strings(kustomization.get("resources"), "kustomization.yaml resources"));
    Set<String> present = manifestFiles().stream().map(f -> f.getFileName().toString())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(listed).isEqualTo(present);
  }

  @Test
  @DisplayName("The server containers use only flags and PRESENCE_* variables that the server defines")
  void serverContainersUseOnlyServerOptions() {
    List<Container> servers = serverContainers();
    assertThat(servers).as("containers running the %s image", SERVER_IMAGE).isNotEmpty();
    List<String> unknown = new ArrayList<>();
    for (Container c : servers) {
      for (String flag : flagsIn(c.args())) {
        if (!optionsByFlag.containsKey(flag)) {
          unknown.add(c.where() + ": args use " + flag + ", which is not an option of presence-server");
        }
      }
      for (String env : c.env().keySet()) {
        if (env.startsWith("PRESENCE_") && !optionsByEnv.containsKey(env)) {
          unknown.add(c.where() + ": env sets " + env + ", which no option of presence-server reads");
        }
      }
    }
    assertThat(unknown).withFailMessage("%s%nKnown flags: %s", String.join("\n", unknown), optionsByFlag.keySet())
        .isEmpty();
  }

  @Test
  @DisplayName("Probes, container ports, Service target ports and the scrape annotation use the server's ports")
  void probesAndPortsMatchTheServer() {
    for (Container c : serverContainers()) {
      int grpc = Integer.parseInt(setting(c, "--port"));
      int ws = Integer.parseInt(setting(c, "--ws-port"));
      int metrics = Integer.parseInt(setting(c, "--metrics-port"));
      Map<String, Integer> ports = containerPorts(c);
      assertThat(ports.values()).as("%s container ports", c.where()).contains(grpc, ws, metrics);

      Map<String, Object> readiness = map(c.spec().get("readinessProbe"), c.where() + " readinessProbe");
      Map<String, Object> liveness = map(c.spec().get("livenessProbe"), c.where() + " livenessProbe");
      Map<String, Object> readyGrpc = map(readiness.get("grpc"), c.where() + " readinessProbe.grpc");
      Map<String, Object> liveGrpc = map(liveness.get("grpc"), c.where() + " livenessProbe.grpc");
      assertThat(readyGrpc.get("port")).as("%s readiness port", c.where()).isEqualTo(grpc);
      assertThat(readyGrpc.get("service")).as("%s readiness asks for the presence service", c.where())
          .isEqualTo(PresenceServiceGrpc.SERVICE_NAME);
      assertThat(liveGrpc.get("port")).as("%s liveness port", c.where()).isEqualTo(grpc);
      assertThat(Objects.toString(liveGrpc.get("service"), "")).as("%s liveness asks for the whole server", c.where())
          .isEmpty();
      if (c.spec().get("startupProbe") != null) {
        Map<String, Object> startup = map(c.spec().get("startupProbe"), c.where() + " startupProbe");
        assertThat(map(startup.get("grpc"), c.where() + " startupProbe.grpc").get("port")).isEqualTo(grpc);
      }

      Map<String, Object> annotations = map(c.podMetadata().getOrDefault("annotations", Map.of()), c.where());
      assertThat(annotations.get("prometheus.io/scrape")).as("%s scrape", c.where()).isEqualTo("true");
      assertThat(annotations.get("prometheus.io/port")).as("%s scrape port", c.where()).isEqualTo(String.valueOf(metrics));
      assertThat(annotations.get("prometheus.io/path")).as("%s scrape path", c.where()).isEqualTo("/metrics");

      List<Map<String, Object>> services = servicesSelecting(c);
      assertThat(services).as("Services selecting %s", c.where()).isNotEmpty();
      for (Map<String, Object> service : services) {
        for (Object p : list(map(service.get("spec"), "Service spec").get("ports"), "Service ports")) {
          Object target = map(p, "Service port").get("targetPort");
          Integer resolved = target instanceof String portName ? ports.get(portName) : (Integer) target;
          assertThat(resolved).as("Service %s targetPort %s", name(service), target).isNotNull()
              .isIn(grpc, ws);
        }
      }
    }
  }

  @Test
  @DisplayName("terminationGracePeriodSeconds outlasts the drain window plus the shutdown grace")
  void terminationGraceOutlastsDrainAndShutdown() {
    for (Container c : serverContainers()) {
      long drain = Long.parseLong(setting(c, "--drain-millis"));
      long grace = Long.parseLong(setting(c, "--shutdown-grace-millis"));
      Object seconds = c.podSpec().get("terminationGracePeriodSeconds");
      assertThat(seconds).as("%s terminationGracePeriodSeconds", c.where()).isInstanceOf(Integer.class);
      assertThat(((Integer) seconds) * 1000L).as("%s: terminationGracePeriodSeconds in ms against drain %d + "
          + "shutdown grace %d", c.where(), drain, grace).isGreaterThan(drain + grace);
    }
  }

  @Test
  @DisplayName("--cluster names Redis Services of the manifests, and that Redis keeps nothing on disk")
  void clusterPointsAtTheRedisService() {
    for (Container c : serverContainers()) {
      for (String entry : setting(c, "--cluster").split(",")) {
        URI uri = URI.create(entry.trim());
        assertThat(uri.getScheme()).as("%s --cluster %s", c.where(), entry).isIn("redis", "rediss");
        Map<String, Object> service = documents.values().stream()
            .filter(d -> "Service".equals(d.get("kind")) && name(d).equals(uri.getHost())).findFirst()
            .orElseThrow(() -> new AssertionError(c.where() + ": --cluster " + entry + " names no Service"));
        List<Integer> servicePorts = list(map(service.get("spec"), "Service spec").get("ports"), "ports").stream()
            .map(p -> (Integer) map(p, "port").get("port")).toList();
        assertThat(servicePorts).as("ports of Service %s", uri.getHost()).contains(uri.getPort());
        List<Container> redis = allContainers().stream().filter(r -> selects(service, r)).toList();
        assertThat(redis).as("containers behind Service %s", uri.getHost()).isNotEmpty();
        for (Container r : redis) {
          assertThat(String.join(" ", r.args().stream().map(a -> a.isEmpty() ? "''" : a).toList()))
              .as("%s args", r.where()).contains("--save ''").contains("--appendonly no");
        }
      }
    }
  }

  @Test
  @DisplayName("The Dockerfile exposes the server's default ports, runs the jar it copies, as the manifests' user")
  void dockerfile() throws IOException {
    List<String> lines = Files.readAllLines(deploy.resolve("container/Dockerfile"));
    Set<Integer> exposed = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    String entrypoint = null;
    String copiedJar = null;
    String user = null;
    for (String line : lines) {
      String l = line.strip();
      if (l.startsWith("EXPOSE ")) {
        for (String p : l.substring(7).trim().split("\\s+")) {
          exposed.add(Integer.parseInt(p.replace("/tcp", "")));
        }
      } else if (l.startsWith("ENTRYPOINT ") || l.startsWith("CMD ")) {
        entrypoint = l;
        for (String flag : flagsIn(List.of(l.split("[\\s\",\\[\\]]+")))) {
          if (!optionsByFlag.containsKey(flag)) {
            problems.add("Dockerfile: " + flag + " is not an option of presence-server");
          }
        }
      } else if (l.startsWith("ENV ")) {
        for (String assignment : l.substring(4).trim().split("\\s+")) {
          String env = assignment.split("=", 2)[0];
          if (env.startsWith("PRESENCE_") && !optionsByEnv.containsKey(env)) {
            problems.add("Dockerfile: ENV " + env + " is read by no option of presence-server");
          }
        }
      } else if (l.startsWith("COPY --from=")) {
        String[] parts = l.split("\\s+");
        copiedJar = parts[parts.length - 1];
      } else if (l.startsWith("USER ")) {
        user = l.substring(5).trim();
      }
    }
    assertThat(problems).withFailMessage(String.join("\n", problems)).isEmpty();
    assertThat(exposed).containsExactlyInAnyOrder(Integer.parseInt(fallback("--port")),
        Integer.parseInt(fallback("--ws-port")), Integer.parseInt(fallback("--metrics-port")));
    assertThat(entrypoint).isNotNull().contains("\"-jar\", \"" + copiedJar + "\"");
    for (Container c : serverContainers()) {
      Map<String, Object> security = map(c.podSpec().getOrDefault("securityContext", Map.of()), c.where());
      assertThat(user).as("the image's USER against %s's runAsUser:runAsGroup", c.where())
          .isEqualTo(security.get("runAsUser") + ":" + security.get("runAsGroup"));
    }
  }

  @Test
  @DisplayName("The local cluster script passes the nodes only server flags, node 1 on the server's default ports")
  void localClusterScript() throws IOException {
    String script = Files.readString(deploy.resolve("local-cluster/run"));
    Matcher nodeArgs = Pattern.compile("(?m)^\\s*node_args=\\((.*)\\)\\s*$").matcher(script);
    assertThat(nodeArgs.find()).as("the script's node_args=(...) line").isTrue();
    List<String> unknown = flagsIn(List.of(nodeArgs.group(1).split("\\s+"))).stream()
        .filter(f -> !optionsByFlag.containsKey(f))
        .map(f -> "deploy/local-cluster/run: node_args use " + f + ", which is not an option of presence-server")
        .toList();
    assertThat(unknown).withFailMessage(String.join("\n", unknown)).isEmpty();
    assertThat(nodeArgs.group(1)).contains("--cluster", "--port", "--ws-port", "--metrics-port");
    assertThat(script).contains("grpc_base=" + fallback("--port") + "\n", "ws_base=" + fallback("--ws-port") + "\n",
        "metrics_base=" + fallback("--metrics-port") + "\n");
  }

  // --- the manifests' model -------------------------------------------------------------------------------------

  /** One container of a workload, with what the checks need around it. */
  private record Container(String where, Map<String, Object> spec, Map<String, Object> podSpec,
      Map<String, Object> podMetadata) {
    List<String> args() {
      List<String> all = new ArrayList<>();
      all.addAll(strings(spec.getOrDefault("command", List.of()), where + " command"));
      all.addAll(strings(spec.getOrDefault("args", List.of()), where + " args"));
      return all;
    }

    /** Literal values; a value from a Secret or ConfigMap is present but not known here, so it maps to null. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Object e : list(spec.getOrDefault("env", List.of()), where + " env")) {
        Map<String, Object> var = map(e, where + " env");
        env.put((String) var.get("name"), var.get("value") == null ? null : String.valueOf(var.get("value")));
      }
      return env;
    }

    String image() {
      String image = (String) spec.get("image");
      String name = image.substring(image.lastIndexOf('/') + 1);
      return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }
  }

  private static List<Container> allContainers() {
    List<Container> all = new ArrayList<>();
    documents.forEach((where, doc) -> {
      if (!WORKLOAD_KINDS.contains(doc.get("kind"))) {
        return;
      }
      Map<String, Object> template = map(map(doc.get("spec"), where).get("template"), where + " template");
      Map<String, Object> podSpec = map(template.get("spec"), where + " pod spec");
      Map<String, Object> podMetadata = map(template.getOrDefault("metadata", Map.of()), where + " pod metadata");
      for (Object c : list(podSpec.get("containers"), where + " containers")) {
        Map<String, Object> spec = map(c, where + " container");
        all.add(new Container(where + " " + doc.get("kind") + "/" + name(doc) + " container " + spec.get("name"), spec,
            podSpec, podMetadata));
      }
    });
    return all;
  }

  private static List<Container> serverContainers() {
    return allContainers().stream().filter(c -> c.image().equals(SERVER_IMAGE)).toList();
  }

  private static Map<String, Integer> containerPorts(Container c) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : list(c.spec().get("ports"), c.where() + " ports")) {
      Map<String, Object> port = map(p, c.where() + " port");
      ports.put(Objects.toString(port.get("name"), "#" + port.get("containerPort")), (Integer) port.get("containerPort"));
    }
    return ports;
  }

  private static List<Map<String, Object>> servicesSelecting(Container c) {
    return documents.values().stream().filter(d -> "Service".equals(d.get("kind")) && selects(d, c)).toList();
  }

  private static boolean selects(Map<String, Object> service, Container c) {
    Map<String, Object> selector = map(map(service.get("spec"), "Service spec").getOrDefault("selector", Map.of()),
        "selector");
    Map<String, Object> labels = map(c.podMetadata().getOrDefault("labels", Map.of()), "labels");
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  /**
   * What the server in this container runs with: the flag from its args, else its variable from env, else the
   * option's own default. An option the server lacks fails here, by name.
   */
  private static String setting(Container c, String flag) {
    OptionSpec option = option(flag, c.where());
    List<String> args = c.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      for (String name : option.names()) {
        if (a.equals(name) && i + 1 < args.size()) {
          return args.get(i + 1);
        }
        if (a.startsWith(name + "=")) {
          return a.substring(name.length() + 1);
        }
      }
    }
    Matcher m = ENV_DEFAULT.matcher(option.defaultValueString());
    assertThat(m.matches()).as("%s has a ${env:PRESENCE_...:-default} default", flag).isTrue();
    Map<String, String> env = c.env();
    if (env.containsKey(m.group(1))) {
      assertThat(env.get(m.group(1))).as("%s: %s must be a literal to be checked", c.where(), m.group(1)).isNotNull();
      return env.get(m.group(1));
    }
    return m.group(2);
  }

  /** The default the command line gives an option when neither its flag nor its variable is set. */
  private static String fallback(String flag) {
    Matcher m = ENV_DEFAULT.matcher(option(flag, "the server's defaults").defaultValueString());
    assertThat(m.matches()).as("%s has a ${env:PRESENCE_...:-default} default", flag).isTrue();
    return m.group(2);
  }

  private static OptionSpec option(String flag, String where) {
    OptionSpec option = optionsByFlag.get(flag);
    if (option == null) {
      throw new AssertionError(where + " depends on " + flag + ", which is not an option of presence-server "
          + "(Main); known flags: " + optionsByFlag.keySet());
    }
    return option;
  }

  private static List<String> flagsIn(List<String> tokens) {
    List<String> flags = new ArrayList<>();
    for (String t : tokens) {
      String unquoted = t.replace("\"", "").replace("'", "");
      Matcher m = FLAG.matcher(unquoted);
      if (m.lookingAt()) {
        flags.add(m.group());
      }
    }
    return flags;
  }

  private static String name(Map<String, Object> doc) {
    return (String) map(doc.get("metadata"), "metadata").get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    assertThat(value).as("%s is a mapping", where).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value, String where) {
    assertThat(value).as("%s is a list", where).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  private static List<String> strings(Object value, String where) {
    List<String> out = new ArrayList<>();
    for (Object o : list(value, where)) {
      assertThat(o).as("%s: %s is a string (quote numbers and yes/no)", where, o).isInstanceOf(String.class);
      out.add((String) o);
    }
    return out;
  }
}
