package io.clipstream.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitedLogTest {

    @Test
    void oneLinePerIntervalAndTheNextSaysHowManyWereLeftOut() {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        AtomicLong now = new AtomicLong();
        RateLimitedLog log = new RateLimitedLog(logger, Duration.ofSeconds(10), now::get);
        assertTrue(log.warn("peer {} is down", "a"));
        assertFalse(log.warn("peer {} is down", "b"));
        assertFalse(log.warn("peer {} is down", "c"));
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertTrue(log.warn("peer {} is down", "d"));
        assertEquals(2, lines.list.size());
        assertEquals("peer a is down", lines.list.get(0).getFormattedMessage());
        assertEquals("peer d is down (and 2 more like it since the last such line)", lines.list.get(1).getFormattedMessage());
        logger.detachAppender(lines);
    }
}
