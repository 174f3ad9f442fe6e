package io.cpra.api;

/** A request the API refuses: answered as {@code {"error": message}} with the status. */
final class HttpError extends RuntimeException {

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError conflict(String message) {
        return new HttpError(409, message);
    }
}
