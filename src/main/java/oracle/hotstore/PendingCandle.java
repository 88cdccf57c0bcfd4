package oracle.hotstore;

import oracle.storage.CandleRow;

/**
 * A candle read from Redis that the database does not have yet (no {@code flushed_at}, or updated
 * after it). {@code updatedAt} is the raw field as read, so marking can check nothing changed in
 * between.
 */
public record PendingCandle(String key, CandleRow row, String updatedAt) {}
