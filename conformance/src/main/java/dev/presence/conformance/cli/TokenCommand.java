package dev.presence.conformance.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a {@code --token-command} for one user and returns the token it prints. */
final class TokenCommand {

  private static final long TIMEOUT_SECONDS = 10;

  private TokenCommand() {}

  static String run(String template, String user) {
    String command = template.replace("{user}", user);
    try {
      Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(false).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("token command for " + user + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0 || token.isEmpty()) {
        throw new IllegalStateException("token command for " + user + " exited " + process.exitValue()
            + (token.isEmpty() ? " and printed no token" : ""));
      }
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("token command for " + user + " could not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while minting a token for " + user, e);
    }
  }
}
