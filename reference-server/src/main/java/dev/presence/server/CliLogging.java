package dev.presence.server;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The process-wide logging set-up of the command line. Only {@link Main} may do this: the process is the
 * server's own, whereas an embedded {@link PresenceServer} lives in an application that set up logging its way.
 */
final class CliLogging {
  /** The property logback reads its configuration's location from; one the operator gives wins. */
  static final String CONFIGURATION_PROPERTY = "logback.configurationFile";
  /**
   * The command line's logback configuration, on the class path under a name of its own: a library jar holding a
   * {@code logback.xml} would configure, or trouble, every application that embeds it.
   */
  static final String CONFIGURATION = "presence-server-logback.xml";

  private CliLogging() {}

  /** Call first in main, before anything creates a logger: logback reads its configuration once, at first use. */
  static void configure() {
    if (System.getProperty(CONFIGURATION_PROPERTY) == null) {
      System.setProperty(CONFIGURATION_PROPERTY, CONFIGURATION);
    }
    // grpc-java logs through java.util.logging; its lines go where the server's own go, in the same format.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
