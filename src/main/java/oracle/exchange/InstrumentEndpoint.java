package oracle.exchange;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * Where an exchange lists its spot markets, and how to read the answer (whole-market discovery).
 *
 * @param path path below the source's base URL
 * @param query query parameters as name, value pairs
 * @param parser the answer's instruments; a pure function of the body (large bodies are parsed off
 *     the event loop by the caller)
 */
public record InstrumentEndpoint(
    String path, List<String> query, Function<Buffer, List<Instrument>> parser) {

  public static InstrumentEndpoint get(
      String path, Function<Buffer, List<Instrument>> parser, String... query) {
    return new InstrumentEndpoint(path, List.of(query), parser);
  }
}
