package io.cpra.checks;

import io.cpra.checks.conditions.ResultView;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;

/**
 * One HTTP(S) check: takes a pooled connection (or opens one), writes the prepared request, reads the
 * response up to {@link #MAX_BODY_BYTES} and judges it. A connection goes back to the pool only after a
 * clean, complete, keep-alive exchange; on anything else it is closed.
 */
final class HttpCheck extends CheckRun {

    static final int MAX_BODY_BYTES = ResultView.MAX_BODY_BYTES;
    static final int MAX_REDIRECTS = 5;
    private static final String TOO_MANY_REDIRECTS = "too many redirects (more than " + MAX_REDIRECTS + ")";

    private final HttpProbe probe;
    private HttpTarget target;
    private HostPool pool;
    private Channel channel;
    private HttpConnection connection;
    /** The connection came from the pool, so the server may have closed it meanwhile. */
    private boolean reused;
    private boolean staleRetried;
    private int redirectsLeft;
    private int status;
    private boolean keepAlive;
    private int bodyBytes;
    private int matched;
    /** What conditions see; null when the probe has none. */
    private final ResultView view;

    HttpCheck(HttpProbe probe, CheckJob job, CheckSink sink) {
        super(job, sink, probe.pool.loop, probe);
        this.probe = probe;
        this.view = probe.conditions.isEmpty() ? null : new ResultView();
    }

    @Override
    protected void beginAttempt() {
        target = probe.target;
        redirectsLeft = MAX_REDIRECTS;
        staleRetried = false;
        acquireFrom(probe.pool);
    }

    private void acquireFrom(HostPool next) {
        pool = next;
        if (next.loop == loop) next.acquire(this);
        else moveTo(next.loop, () -> next.acquire(this));
    }

    /** A new connection is being opened for this check. */
    void connecting(ChannelFuture connect) {
        phase = Phase.CONNECT;
        channel = connect.channel();
        reused = false;
        int a = attempt;
        connect.addListener((ChannelFuture f) -> onConnected(f, a));
    }

    private void onConnected(ChannelFuture f, int a) {
        if (!loop.inEventLoop()) { // a channel that never registered reports on Netty's global executor
            loop.execute(() -> onConnected(f, a));
            return;
        }
        Channel ch = f.channel();
        if (!isCurrent(a) || ch != channel) {
            ch.close();
        } else if (!f.isSuccess()) {
            attemptFailed(a, 0, Failures.describe(f.cause(), target.unknownHost));
        } else if (!target.key.tls()) {
            useConnection(ch, false);
        } else if (bind(ch)) {
            phase = Phase.TLS;
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().addListener(h -> {
                if (!isCurrent(a) || ch != channel) return;
                if (!h.isSuccess()) {
                    attemptFailed(a, 0, Failures.describe(h.cause(), target.unknownHost));
                    return;
                }
                // once per connection: pooled reuses report the same chain for [CERTIFICATE_EXPIRATION]
                connection.certificateExpiry = ClientTls.earliestExpiry(ssl.engine().getSession(), System.currentTimeMillis());
                useConnection(ch, false);
            });
        } else {
            attemptFailed(a, 0, Failures.CLOSED_BEFORE_RESPONSE);
        }
    }

    /** Sends the request on {@code ch}: an idle pooled connection or one just opened. */
    void useConnection(Channel ch, boolean fromPool) {
        reused = fromPool;
        if (!bind(ch)) {
            attemptFailed(attempt, 0, Failures.CLOSED_BEFORE_RESPONSE);
            return;
        }
        phase = Phase.RESPONSE;
        status = 0;
        keepAlive = false;
        bodyBytes = 0;
        matched = 0;
        if (view != null) view.reset();
        // a void promise routes a failed write to exceptionCaught, without a listener per check
        ch.writeAndFlush(target.request(), ch.voidPromise());
    }

    /** Makes this check the owner of {@code ch}; false when its pipeline is already torn down. */
    private boolean bind(Channel ch) {
        channel = ch;
        if (!(ch.pipeline().last() instanceof HttpConnection c)) return false;
        connection = c;
        c.bind(this, target.head);
        return true;
    }

    /** Forgets the connection without closing it. */
    private Channel detach() {
        Channel ch = channel;
        connection.unbind();
        connection = null;
        channel = null;
        return ch;
    }

    void onResponsePart(Object msg) {
        Channel ch = channel;
        if (msg instanceof HttpResponse response) onHead(response);
        // the head may have ended the exchange (bad status, redirect): its content is then not ours
        if (msg instanceof HttpContent content && status != 0 && channel == ch) onContent(content);
    }

    private void onHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            attemptFailed(attempt, 0, Failures.malformed(response.decoderResult().cause()));
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101) return; // interim; the final response follows
        status = code;
        keepAlive = HttpUtil.isKeepAlive(response);
        if (probe.followRedirects && isRedirect(code)) {
            String location = response.headers().get(HttpHeaderNames.LOCATION);
            if (location != null) {
                redirect(location);
                return;
            }
        }
        if (probe.statuses != null && !probe.statuses.accepts(code)) attemptFailed(attempt, code, probe.statuses.failure(code));
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            attemptFailed(attempt, status, Failures.malformed(content.decoderResult().cause()));
            return;
        }
        ByteBuf body = content.content();
        int n = Math.min(body.readableBytes(), MAX_BODY_BYTES - bodyBytes);
        if (probe.matcher != null) matched = probe.matcher.feed(body, body.readerIndex(), n, matched);
        if (probe.keepBody) view.appendBody(body, body.readerIndex(), n);
        bodyBytes += n;
        boolean last = content instanceof LastHttpContent;
        if (last || bodyBytes >= MAX_BODY_BYTES) endExchange(last);
    }

    /** The body is complete, or we read all we ever read of it. */
    private void endExchange(boolean complete) {
        int a = attempt;
        String failure = probe.matcher == null || probe.matcher.found(matched) ? null
                : complete ? probe.matcher.failure : probe.matcher.failureTruncated;
        if (failure == null && view != null) failure = conditionFailure();
        Channel ch = detach();
        if (complete && keepAlive && failure == null) pool.release(ch);
        else ch.close();
        if (failure == null) attemptSucceeded(a, status);
        else attemptFailed(a, status, failure);
    }

    private String conditionFailure() {
        view.status(status);
        view.responseTime(elapsedNanos());
        view.connected(true);
        long expiry = connection.certificateExpiry;
        if (expiry != ClientTls.NO_EXPIRY) view.certificateRemainingMillis(expiry - System.currentTimeMillis());
        String failure = probe.conditions.firstFailure(view);
        return failure == null ? null : Failures.clip(failure);
    }

    private void redirect(String location) {
        if (redirectsLeft == 0) {
            attemptFailed(attempt, status, TOO_MANY_REDIRECTS);
            return;
        }
        HttpTarget next;
        try {
            next = target.redirect(location, status);
        } catch (IllegalArgumentException e) {
            attemptFailed(attempt, status, Failures.clip("bad redirect location: " + location));
            return;
        }
        redirectsLeft--;
        detach().close(); // the redirect's own body is not worth draining
        target = next;
        phase = Phase.CONNECT;
        acquireFrom(probe.factory.pool(next));
    }

    void onConnectionError(Throwable cause) {
        if (isStaleKeepAlive()) retryOnNewConnection();
        else attemptFailed(attempt, status, Failures.describe(cause, target.unknownHost));
    }

    void onConnectionClosed() {
        if (isStaleKeepAlive()) retryOnNewConnection();
        else if (phase == Phase.TLS) attemptFailed(attempt, 0, "TLS handshake failed: connection closed");
        else attemptFailed(attempt, status, status == 0 ? Failures.CLOSED_BEFORE_RESPONSE : Failures.CLOSED_DURING_RESPONSE);
    }

    /**
     * A pooled connection the server closed while idle fails before any response byte; that is not the
     * endpoint's fault, so the attempt goes on once with a fresh connection.
     */
    private boolean isStaleKeepAlive() {
        return phase == Phase.RESPONSE && reused && status == 0 && !staleRetried;
    }

    private void retryOnNewConnection() {
        staleRetried = true;
        detach().close();
        phase = Phase.CONNECT;
        pool.acquireNew(this);
    }

    @Override
    protected void abortAttempt() {
        if (phase == Phase.WAIT) pool.leaveQueue(this);
        if (channel != null) {
            if (connection != null) connection.unbind();
            channel.close();
            connection = null;
            channel = null;
        }
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
