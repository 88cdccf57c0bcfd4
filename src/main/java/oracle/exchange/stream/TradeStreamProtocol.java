package oracle.exchange.stream;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One venue's public WebSocket trade stream: where it is, how markets are spread over connections
 * and subscribe messages within the venue's documented limits, the keep-alive the client owes, and
 * what a received frame means. Pure: no I/O, no state shared between calls (safe on any thread).
 */
public interface TradeStreamProtocol {

  /** The source name ({@code binance}, ...). */
  String source();

  /** The venue's real public endpoint. */
  String defaultUrl();

  /**
   * The market as the stream names it, for the REST market {@code restId} of the canonical assets
   * {@code base}/{@code quote}: the same id on most venues; Kraken's v2 stream names {@code
   * BTC/USD} what its REST API calls {@code XBTUSD}.
   */
  default String marketId(String restId, String base, String quote) {
    return restId;
  }

  /** The most markets one connection carries. */
  int marketsPerConnection();

  /** The most markets one subscribe message carries. */
  int marketsPerSubscribe();

  /**
   * The least time between two messages the client sends on one connection (the venue's inbound
   * message limit, with margin): the client paces its subscribe messages by it.
   */
  long minSendIntervalMs();

  /** What the client sends to keep a connection alive. */
  KeepAlive keepAlive();

  /**
   * The markets of each connection: {@code marketIds} without repeats, in order, in groups of at
   * most {@link #marketsPerConnection()}.
   */
  default List<List<String>> connections(List<String> marketIds) {
    return Chunks.of(Chunks.distinct(marketIds), marketsPerConnection());
  }

  /**
   * The messages that subscribe one connection (opened on {@link #defaultUrl()} or its override) to
   * the trades of {@code marketIds}, to be sent in order, {@link #minSendIntervalMs()} apart.
   */
  List<String> subscribeMessages(List<String> marketIds);

  /** What a received frame (text, or a binary frame of UTF-8 JSON) means. Never throws. */
  StreamEvent parse(Buffer frame);

  /** {@link #parse(Buffer)} of a text frame. */
  default StreamEvent parse(String frame) {
    return parse(Buffer.buffer(frame));
  }
}
