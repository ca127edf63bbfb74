package dev.presence.server.config;

/** Thrown when a {@link ServerConfig} violates a bound; the message names the setting and the bound. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the offending setting, its value and the accepted range
   */
  public ConfigException(String message) {
    super(message);
  }
}
