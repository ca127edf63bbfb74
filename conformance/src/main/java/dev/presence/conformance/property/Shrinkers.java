package dev.presence.conformance.property;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Shrinkers for common shapes. */
public final class Shrinkers {

  private Shrinkers() {}

  /**
   * Shrinks a list by removing chunks (halves, then quarters, down to single elements) and then by shrinking one
   * element at a time. Order is kept, so a shrunk scenario replays the surviving steps in their original order.
   *
   * @param element shrinks one element; {@link Shrinker#none()} to only remove elements
   * @param <T> the element type
   * @return the list shrinker
   */
  public static <T> Shrinker<List<T>> list(Shrinker<T> element) {
    return list -> Stream.concat(removals(list), elementShrinks(list, element));
  }

  /**
   * Shrinks a non-negative long towards {@code floor}: the floor itself, then halfway, then one less.
   *
   * @param floor the smallest value worth proposing
   * @return the shrinker
   */
  public static Shrinker<Long> towards(long floor) {
    return value -> {
      if (value <= floor) {
        return Stream.empty();
      }
      long half = floor + (value - floor) / 2;
      return Stream.of(floor, half, value - 1).filter(v -> v < value).distinct();
    };
  }

  private static <T> Stream<List<T>> removals(List<T> list) {
    int size = list.size();
    return IntStream.iterate(size, chunk -> chunk > 0, chunk -> chunk / 2)
        .boxed()
        .flatMap(
            chunk ->
                IntStream.iterate(0, start -> start < size, start -> start + chunk)
                    .mapToObj(start -> without(list, start, Math.min(size, start + chunk))));
  }

  private static <T> Stream<List<T>> elementShrinks(List<T> list, Shrinker<T> element) {
    return IntStream.range(0, list.size())
        .boxed()
        .flatMap(i -> element.candidates(list.get(i)).map(smaller -> replaced(list, i, smaller)));
  }

  private static <T> List<T> without(List<T> list, int from, int to) {
    List<T> copy = new ArrayList<>(list.subList(0, from));
    copy.addAll(list.subList(to, list.size()));
    return List.copyOf(copy);
  }

  private static <T> List<T> replaced(List<T> list, int index, T value) {
    List<T> copy = new ArrayList<>(list);
    copy.set(index, value);
    return List.copyOf(copy);
  }
}
