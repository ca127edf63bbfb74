package dev.presence.examples;

import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live cursors: keeps the cursor of everyone else in the room up to date and broadcasts your own.
 *
 * <p>It syncs every user, skips itself (the {@code all} target includes your own user), removes a cursor when its
 * user's state becomes null, and otherwise moves it to the state's {@code cursor.x} and {@code cursor.y}.
 */
public final class LiveCursors implements AutoCloseable {

  /**
   * A cursor position.
   *
   * @param x horizontal position
   * @param y vertical position
   */
  public record Cursor(double x, double y) {}

  /** Draws the cursors. Called on the client's callback thread, one call at a time. */
  public interface View {
    /**
     * A user's cursor appeared or moved.
     *
     * @param userId the user
     * @param cursor where it is now
     */
    void moved(String userId, Cursor cursor);

    /**
     * A user's cursor is gone: they left, cleared their presence or stopped sharing a cursor.
     *
     * @param userId the user
     */
    void removed(String userId);
  }

  private final PresenceClient client;
  private final View view;
  private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
  private Subscription subscription;

  private LiveCursors(PresenceClient client, View view) {
    this.client = client;
    this.view = view;
  }

  /**
   * Starts showing the other users' cursors.
   *
   * @param client a client of the room
   * @param view where to draw them
   * @return the running example; close it to stop
   */
  public static LiveCursors start(PresenceClient client, View view) {
    LiveCursors cursors = new LiveCursors(client, view);
    cursors.subscription = client.presence().sync(SyncTarget.all(), cursors::onChange);
    return cursors;
  }

  private void onChange(PresenceChange change) {
    String userId = change.userId();
    if (userId.equals(client.userId())) {
      return;
    }
    OptionalDouble x = change.isNull() ? OptionalDouble.empty() : change.state().pathDouble("cursor.x");
    OptionalDouble y = change.isNull() ? OptionalDouble.empty() : change.state().pathDouble("cursor.y");
    if (x.isEmpty() || y.isEmpty()) {
      if (cursors.remove(userId) != null) {
        view.removed(userId);
      }
      return;
    }
    Cursor cursor = new Cursor(x.getAsDouble(), y.getAsDouble());
    cursors.put(userId, cursor);
    view.moved(userId, cursor);
  }

  /**
   * Broadcasts your own cursor; calls faster than the server's window are coalesced, the last one always sent.
   *
   * @param x horizontal position
   * @param y vertical position
   */
  public void move(double x, double y) {
    client.presence().update(Map.of("cursor", Map.of("x", x, "y", y)));
  }

  /**
   * The other users' cursors as last seen.
   *
   * @return an immutable copy, user id to cursor
   */
  public Map<String, Cursor> cursors() {
    return Map.copyOf(cursors);
  }

  /** Stops showing cursors; the client stays connected. */
  @Override
  public void close() {
    subscription.close();
  }

  /**
   * Joins a room, prints the other users' cursors as they move, and moves your own cursor to each {@code x y}
   * line read from standard input until it ends.
   *
   * @param args target (host:port), room, user id
   * @throws Exception if reading standard input fails
   */
  public static void main(String[] args) throws Exception {
    ExampleArgs options = ExampleArgs.parse(args, 3, "LiveCursors <host:port> <room> <user>");
    try (PresenceClient client = options.connect();
        LiveCursors cursors = start(client, new View() {
          @Override
          public void moved(String userId, Cursor cursor) {
            System.out.printf("%s is at (%.0f, %.0f)%n", userId, cursor.x(), cursor.y());
          }

          @Override
          public void removed(String userId) {
            System.out.println(userId + " has no cursor");
          }
        })) {
      System.out.println("joined " + options.room() + " as " + client.userId() + "; type 'x y' to move your cursor");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] xy = line.trim().split("\\s+");
        try {
          cursors.move(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          System.out.println("type two numbers: x y");
        }
      }
    }
  }
}
