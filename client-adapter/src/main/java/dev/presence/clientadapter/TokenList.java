package dev.presence.clientadapter;

import java.util.List;
import java.util.function.Supplier;

/**
 * The application's token source as the kit scripts it: the tokens in order, then the last one forever. Called
 * by the client on its own threads while the kit may replace the list, hence synchronized.
 */
final class TokenList implements Supplier<String> {
  private List<String> tokens = List.of();
  private int next;

  /** Replaces the list; the next call returns its first token. */
  synchronized void replace(List<String> replacement) {
    tokens = List.copyOf(replacement);
    next = 0;
  }

  /** Returns the next token, or null (no credentials) for an empty list. */
  @Override
  public synchronized String get() {
    if (tokens.isEmpty()) {
      return null;
    }
    String token = tokens.get(Math.min(next, tokens.size() - 1));
    if (next < tokens.size()) {
      next++;
    }
    return token;
  }
}
