package oracle.http.common;

import io.vertx.core.json.JsonObject;

/**
 * A failure the API answers with a JSON body {@code {"error", "field"?, "message"}} and a chosen
 * status, instead of a 500. Thrown (or failed with) by handlers; {@link ApiErrors} writes it.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String field;

  public ApiError(int status, String error, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.field = field;
  }

  public static ApiError badRequest(String field, String message) {
    return new ApiError(400, "bad_request", field, message);
  }

  public static ApiError notFound(String field, String message) {
    return new ApiError(404, "not_found", field, message);
  }

  /** A dependency (Redis, PostgreSQL) did not answer: the client may retry. */
  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", null, message);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject body = new JsonObject().put("error", error);
    if (field != null) body.put("field", field);
    return body.put("message", getMessage());
  }
}
