package io.clipstream.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a connection whose request line and headers do not arrive in time (slowloris: a header
 * byte now and then keeps the idle timeout from ever firing). Every connection is looked at once
 * per timeout: when bytes came in after its last complete request was answered and, one look
 * later, still no new request header is complete, it is closed. So a header gets between one and
 * two timeouts; a connection with a request in progress, or silent between requests, is left to
 * the idle timeout.
 */
final class HeaderDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final Scheduler scheduler;
    private final long timeoutMs;
    private final AtomicLong closed = new AtomicLong();

    HeaderDeadline(Scheduler scheduler, long timeoutMs) {
        this.scheduler = scheduler;
        this.timeoutMs = timeoutMs;
    }

    /** Connections closed for a slow header so far. */
    long closed() {
        return closed.get();
    }

    @Override
    public void onOpened(Connection connection) {
        schedule(new Watch(connection));
    }

    private void schedule(Watch watch) {
        scheduler.schedule(watch, timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** One connection's last look: requests whose headers were complete, and bytes received, then. */
    private final class Watch implements Runnable {
        private final Connection connection;
        private long requests;
        private long baseline;
        private boolean busy;
        private boolean headerPending;

        Watch(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long in = connection.getMessagesIn();
            long bytesIn = connection.getBytesIn();
            if (in > connection.getMessagesOut()) {
                // A request is being handled: its body may still be arriving.
                busy = true;
                headerPending = false;
                baseline = bytesIn;
            } else if (busy || in != requests) {
                // Answered since the last look: what arrived so far belongs to requests already complete.
                busy = false;
                headerPending = false;
                baseline = bytesIn;
            } else if (headerPending) {
                closed.incrementAndGet();
                LOG.debug("closing {}: no complete request header within {} ms (http.header.timeout.ms)",
                        connection.getEndPoint().getRemoteSocketAddress(), timeoutMs);
                connection.close();
                return;
            } else {
                headerPending = bytesIn > baseline;
            }
            requests = in;
            schedule(this);
        }
    }
}
