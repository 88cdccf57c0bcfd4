package oracle.exchange.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/**
 * A protocol whose frames are JSON: decodes the frame, hands the value to {@link #read}, and turns
 * anything unreadable into {@link StreamEvent.Malformed} naming the source and what was wrong.
 */
public abstract class JsonTradeStream implements TradeStreamProtocol {

  @Override
  public StreamEvent parse(Buffer frame) {
    if (frame.length() == 0) return malformed("empty frame");
    Object json;
    try {
      json = Json.decodeValue(frame);
    } catch (DecodeException e) {
      return malformed("not JSON: " + e.getMessage());
    }
    if (json == null) return malformed("a JSON null");
    try {
      return read(json);
    } catch (FrameException e) {
      return malformed(e.getMessage());
    } catch (ClassCastException e) {
      // A field of a known message with the wrong JSON type, met through JsonObject's getters.
      return malformed("a field has the wrong type: " + e.getMessage());
    }
  }

  /**
   * What a decoded frame ({@code JsonObject}, {@code JsonArray}, or a scalar) means; throws {@link
   * FrameException} for a message of a known kind with a missing or invalid field.
   */
  protected abstract StreamEvent read(Object json);

  private StreamEvent malformed(String reason) {
    return new StreamEvent.Malformed(source() + ": " + reason);
  }
}
