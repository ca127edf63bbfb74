package dev.presence.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the numbers were measured on: machine, kernel, runtimes and the peers' pinned versions. */
final class Environment {
  private Environment() {}

  static Map<String, String> describe(Launches launches, Pinning pinning) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CPU", cpuModel() + ", " + pinning.cores() + " cores");
    env.put("Memory", memTotal());
    env.put("Kernel", read("/proc/sys/kernel/osrelease"));
    env.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    env.put("Node.js", command(List.of("node", "--version")));
    env.put("Peers (npm, exact)", peerVersions(launches.peersDir().resolve("package.json")));
    env.put("Commit", command(List.of("git", "-C", launches.repo().toString(), "rev-parse", "--short", "HEAD")));
    env.put("Pinning", pinning.available()
        ? "server on core " + (pinning.cores() - 1) + ", load generator on the other core(s) (taskset)"
        : "none (taskset missing or a single core): numbers are not comparable to pinned runs");
    return env;
  }

  private static String cpuModel() {
    for (String line : read("/proc/cpuinfo").split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown CPU";
  }

  private static String memTotal() {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        long kib = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
        return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  private static String peerVersions(Path packageJson) {
    String json = read(packageJson.toString());
    int deps = json.indexOf("\"dependencies\"");
    if (deps < 0) {
      return "unknown";
    }
    String block = json.substring(json.indexOf('{', deps) + 1, json.indexOf('}', deps));
    return block.replace("\"", "").replaceAll("\\s+", " ").trim().replace(" :", ":");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String command(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
