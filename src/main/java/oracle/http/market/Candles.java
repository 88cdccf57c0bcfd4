package oracle.http.market;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Candles ascending, as pieces: runs of a cached {@link CandleBlock} (kept packed: no {@link Bar}
 * is made for them unless someone calls {@link #get}) and runs of plain bars (read from the
 * database or Redis). The JSON writer copies a block run's ready-made bytes as one slice, so a page
 * of cached history costs a few copies, not a thousand candle objects. Immutable once built.
 */
final class Candles extends AbstractList<Bar> implements RandomAccess {
  static final Candles EMPTY = new Builder().build();

  /** Piece k: {@code sources[k]} (a CandleBlock or a List of Bar), its items [from[k], to[k]). */
  private final Object[] sources;

  private final int[] from;
  private final int[] to;

  /** Piece k covers this list's [starts[k], starts[k + 1]). */
  private final int[] starts;

  private Candles(Object[] sources, int[] from, int[] to, int pieces) {
    this.sources = Arrays.copyOf(sources, pieces);
    this.from = Arrays.copyOf(from, pieces);
    this.to = Arrays.copyOf(to, pieces);
    this.starts = new int[pieces + 1];
    for (int k = 0; k < pieces; k++) starts[k + 1] = starts[k] + to[k] - from[k];
  }

  @Override
  public int size() {
    return starts[starts.length - 1];
  }

  @Override
  @SuppressWarnings("unchecked")
  public Bar get(int i) {
    int k = piece(i);
    int at = from[k] + i - starts[k];
    return sources[k] instanceof CandleBlock b ? b.bar(at) : ((List<Bar>) sources[k]).get(at);
  }

  /** The start of candle i, without making its Bar. */
  @SuppressWarnings("unchecked")
  long time(int i) {
    int k = piece(i);
    int at = from[k] + i - starts[k];
    return sources[k] instanceof CandleBlock b
        ? b.times[at]
        : ((List<Bar>) sources[k]).get(at).time();
  }

  /** The start of candle i of any list. */
  static long time(List<Bar> bars, int i) {
    return bars instanceof Candles c ? c.time(i) : bars.get(i).time();
  }

  private int piece(int i) {
    if (i < 0 || i >= size()) throw new IndexOutOfBoundsException(i);
    int k = Arrays.binarySearch(starts, i);
    if (k < 0) return -k - 2;
    while (starts[k + 1] == i) k++; // skip empty pieces (there are none, but cheaply safe)
    return k;
  }

  @Override
  public List<Bar> subList(int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex > size() || fromIndex > toIndex)
      throw new IndexOutOfBoundsException(fromIndex + ".." + toIndex);
    if (fromIndex == 0 && toIndex == size()) return this;
    return new Builder().addRange(this, fromIndex, toIndex).build();
  }

  int pieces() {
    return sources.length;
  }

  /** Piece k's block, or null when it is a run of plain bars ({@link #bars}). */
  CandleBlock block(int k) {
    return sources[k] instanceof CandleBlock b ? b : null;
  }

  @SuppressWarnings("unchecked")
  List<Bar> bars(int k) {
    return (List<Bar>) sources[k];
  }

  int from(int k) {
    return from[k];
  }

  int to(int k) {
    return to[k];
  }

  /** Appends pieces; adjacent runs of the same source are joined. */
  static final class Builder {
    private Object[] sources = new Object[8];
    private int[] from = new int[8];
    private int[] to = new int[8];
    private int pieces;
    private ArrayList<Bar> loose; // the builder's own run of single bars, when last

    Builder block(CandleBlock block, int fromIndex, int toIndex) {
      piece(block, fromIndex, toIndex);
      return this;
    }

    Builder add(Bar bar) {
      if (loose == null || pieces == 0 || sources[pieces - 1] != loose) {
        loose = new ArrayList<>();
        piece(loose, 0, 0);
      }
      loose.add(bar);
      to[pieces - 1] = loose.size();
      return this;
    }

    Builder addAll(List<Bar> bars) {
      return addRange(bars, 0, bars.size());
    }

    /** Items [fromIndex, toIndex) of {@code bars}, their block runs kept as runs. */
    Builder addRange(List<Bar> bars, int fromIndex, int toIndex) {
      if (fromIndex >= toIndex) return this;
      if (!(bars instanceof Candles c)) {
        piece(bars, fromIndex, toIndex);
        return this;
      }
      int k = c.piece(fromIndex);
      for (; k < c.pieces() && c.starts[k] < toIndex; k++) {
        int a = Math.max(fromIndex, c.starts[k]) - c.starts[k] + c.from[k];
        int b = Math.min(toIndex, c.starts[k + 1]) - c.starts[k] + c.from[k];
        piece(c.sources[k], a, b);
      }
      return this;
    }

    private void piece(Object source, int a, int b) {
      if (a >= b && source != loose) return;
      if (pieces > 0 && sources[pieces - 1] == source && to[pieces - 1] == a && source != loose) {
        to[pieces - 1] = b;
        return;
      }
      if (pieces == sources.length) {
        sources = Arrays.copyOf(sources, pieces * 2);
        from = Arrays.copyOf(from, pieces * 2);
        to = Arrays.copyOf(to, pieces * 2);
      }
      sources[pieces] = source;
      from[pieces] = a;
      to[pieces] = b;
      pieces++;
    }

    Candles build() {
      loose = null; // a later add starts a new run; the built list never sees it change
      return new Candles(sources, from, to, pieces);
    }
  }
}
