package oracle.exchange.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded WebSocket messages under {@code exchanges/<venue>/ws/} (byte copies of the shared
 * exchange-recordings; see its PROVENANCE.md): a {@code .json} file is one frame, a {@code .jsonl}
 * file one frame per line.
 */
public final class Recordings {
  private Recordings() {}

  /** The frames of one recorded file, as the bytes received. */
  public static List<Buffer> frames(String venue, String file) {
    String path = "/exchanges/" + venue + "/ws/" + file;
    byte[] bytes;
    try (InputStream in = Recordings.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!file.endsWith(".jsonl")) return List.of(Buffer.buffer(bytes));
    List<Buffer> out = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n"))
      if (!line.isBlank()) out.add(Buffer.buffer(line.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  /** Each frame of the file parsed by {@code protocol}. */
  public static List<StreamEvent> parse(TradeStreamProtocol protocol, String file) {
    return frames(protocol.source(), file).stream().map(protocol::parse).toList();
  }

  /** The trades of one event, failing when it is not {@link StreamEvent.Trades}. */
  public static List<Trade> trades(StreamEvent event) {
    assertThat(event).isInstanceOf(StreamEvent.Trades.class);
    return ((StreamEvent.Trades) event).trades();
  }
}
