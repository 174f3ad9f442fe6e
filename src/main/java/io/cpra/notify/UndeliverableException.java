package io.cpra.notify;

import java.io.IOException;

/**
 * A delivery that no retry can fix (the destination rejected the alert itself, such as HTTP 400 or a
 * revoked Slack hook's 404): given up at once, so the monitor's later alerts do not wait behind it.
 */
public final class UndeliverableException extends IOException {

    public UndeliverableException(String message) { super(message); }
}
