package dev.presence.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Views that write what they are told as short lines, for assertions. */
final class RecordingViews {
  private RecordingViews() {}

  /** Records {@code user (x,y)} and {@code user removed}. */
  static final class Cursors implements LiveCursors.View {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void moved(String userId, LiveCursors.Cursor cursor) {
      seen.add(userId + " (" + (int) cursor.x() + "," + (int) cursor.y() + ")");
    }

    @Override
    public void removed(String userId) {
      seen.add(userId + " removed");
    }
  }

  /** Records {@code name (x,y)} and {@code hidden}. */
  static final class Follow implements FollowUsers.View {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void show(String userId, String name, double x, double y) {
      seen.add(name + " (" + (int) x + "," + (int) y + ")");
    }

    @Override
    public void hide() {
      seen.add("hidden");
    }
  }
}
