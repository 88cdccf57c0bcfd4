package oracle.exchange.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Splitting market lists into connections and messages. */
public final class Chunks {
  private Chunks() {}

  /** {@code items} in consecutive groups of at most {@code size} (none for an empty list). */
  public static <T> List<List<T>> of(List<T> items, int size) {
    if (size < 1) throw new IllegalArgumentException("chunk size must be at least 1: " + size);
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size)
      out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
    return out;
  }

  /** {@code items} without repeats, first occurrence kept. */
  public static <T> List<T> distinct(List<T> items) {
    return List.copyOf(new LinkedHashSet<>(items));
  }
}
