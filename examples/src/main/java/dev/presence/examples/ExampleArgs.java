package dev.presence.examples;

import dev.presence.client.PresenceClient;

/**
 * The command line the examples share: where the server is, which room, and who you are. The examples use the
 * server's insecure development identity, so they run against a server started with the development auth mode.
 *
 * @param target the server's host:port
 * @param room the room to join
 * @param user the user id to claim
 */
record ExampleArgs(String target, String room, String user) {

  static ExampleArgs parse(String[] args, int count, String usage) {
    if (args.length != count) {
      System.err.println("usage: " + usage);
      System.exit(2);
    }
    return new ExampleArgs(args[0], args[1], args[2]);
  }

  /** A connected client; the caller closes it. */
  PresenceClient connect() {
    PresenceClient client = PresenceClient.builder()
        .target(target)
        .room(room)
        .devIdentity(user, user)
        .build();
    client.connect().join();
    return client;
  }
}
