package dev.presence.conformance.cli;

/**
 * A {@code --target} split into host and port.
 *
 * @param host the host, without brackets for IPv6
 * @param port the port
 */
record HostAndPort(String host, int port) {

  static HostAndPort parse(String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException("--target must be HOST:PORT, was '" + target + "'");
    }
    String host = target.substring(0, colon).replace("[", "").replace("]", "");
    try {
      return new HostAndPort(host, Integer.parseInt(target.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--target port must be a number, was '" + target + "'", e);
    }
  }
}
