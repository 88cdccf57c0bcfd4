/**
 * The exchanges' public WebSocket trade streams as pure protocol code: what to send (subscribe
 * messages within each venue's documented limits, keep-alives) and what a received frame means
 * ({@link oracle.exchange.stream.StreamEvent}). No networking here: the client that opens the
 * connections, and the wiring into polling and aggregation, build on these types. Each venue's
 * protocol lives in its own package ({@code oracle.exchange.<venue>.<Venue>TradeStream}).
 */
package oracle.exchange.stream;
