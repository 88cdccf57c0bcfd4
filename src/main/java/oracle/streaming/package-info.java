/**
 * Per-source trade feeds over the exchanges' public WebSocket trade streams: connections, parsing,
 * replay and gap handling, per-minute trade candles by exchange time, stream health, and the
 * handover of each finished minute to the close-out. Hosted by {@code oracle.polling}, on its
 * context; nothing here is thread-safe or needs to be.
 */
package oracle.streaming;
