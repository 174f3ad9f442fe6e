package io.cpra.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange bounded in time (the whole exchange, body included, not only the wait for headers)
 * and in memory (only the first {@code bodyLimit} bytes of the answer are kept, the rest is discarded).
 * Errors carry no URL, so they can be shown once secrets are masked.
 */
public final class BoundedHttp {

    public record Response(int status, String body) {
        public boolean ok() { return status / 100 == 2; }
    }

    private BoundedHttp() {}

    public static Response exchange(HttpClient client, HttpRequest request, long timeoutNanos, int bodyLimit)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, info -> HttpResponse.BodySubscribers.fromSubscriber(new Head(bodyLimit), Head::text));
        try {
            HttpResponse<String> response = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            return new Response(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null || cause.getMessage().isBlank()
                    ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            throw new IOException(message, cause);
        }
    }

    /** Keeps the first bytes of a body and drains the rest. */
    private static final class Head implements Flow.Subscriber<List<ByteBuffer>> {
        private final byte[] kept;
        private int size;

        Head(int limit) { kept = new byte[limit]; }

        @Override public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), kept.length - size);
                buffer.get(kept, size, n);
                size += n;
            }
        }

        @Override public void onError(Throwable throwable) { }

        @Override public void onComplete() { }

        String text() { return new String(kept, 0, size, StandardCharsets.UTF_8); }
    }
}
