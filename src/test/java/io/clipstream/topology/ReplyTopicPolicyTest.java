package io.clipstream.topology;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigException;
import io.clipstream.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which reply topics a request may name, and what the settings accept. */
class ReplyTopicPolicyTest {

    final ReplyTopicPolicy policy = new ReplyTopicPolicy(Topics.DEFAULT, "clipstream",
            ReplyTopicSettings.parse(" search.responses.* , team-a.replies,"));

    @Test
    void theDefaultAndTheAllowlistAreAllowed() {
        assertEquals(new ReplyTopicPolicy.Allowed("search.responses"), policy.decide(null));
        assertEquals(new ReplyTopicPolicy.Allowed("search.responses"), policy.decide(""));
        assertEquals(new ReplyTopicPolicy.Allowed("search.responses.team-b"), policy.decide("search.responses.team-b"));
        assertEquals(new ReplyTopicPolicy.Allowed("team-a.replies"), policy.decide("team-a.replies"));
    }

    @Test
    void nothingElseIsAndTheReasonSaysWhichSetting() {
        for (String topic : new String[]{"team-a.replies2", "vectors.image", "clipstream.dlq", "__transaction_state", "_schemas",
                "clipstream-responder-x-changelog", "x-repartition", ".", "..", "a b", "a".repeat(250)}) {
            ReplyTopicPolicy.Refused refused = assertInstanceOf(ReplyTopicPolicy.Refused.class, policy.decide(topic), topic);
            assertEquals("search.responses", refused.topic(), "the answer goes to the default topic");
            assertTrue(refused.reason().contains("search.reply.topics.allowed"), refused.reason());
        }
    }

    @Test
    void aPrefixNeverOpensTheServicesOwnTopics() {
        ReplyTopicPolicy wide = new ReplyTopicPolicy(Topics.DEFAULT, "clipstream", ReplyTopicSettings.parse("*"));
        assertInstanceOf(ReplyTopicPolicy.Allowed.class, wide.decide("anything.else"));
        assertInstanceOf(ReplyTopicPolicy.Refused.class, wide.decide("vectors.text"));
        assertInstanceOf(ReplyTopicPolicy.Refused.class, wide.decide("search.requests"));
        assertInstanceOf(ReplyTopicPolicy.Refused.class, wide.decide("clipstream-index-image-vectors-store-changelog"));
    }

    @Test
    void theSettingRefusesNonsenseAndTheServicesOwnTopicsNamingTheKey() {
        ConfigException bad = assertThrows(ConfigException.class, () -> config("replies,bad name"));
        assertTrue(bad.getMessage().contains("search.reply.topics.allowed") && bad.getMessage().contains("bad name"), bad.getMessage());
        assertThrows(ConfigException.class, () -> config("re*plies"));
        ConfigException own = assertThrows(ConfigException.class, () -> config("vectors.image"));
        assertTrue(own.getMessage().contains("image vector topic"), own.getMessage());
        assertEquals(ReplyTopicSettings.NONE, config("").replyTopics());
    }

    private static ClipstreamConfig config(String allowed) {
        return ClipstreamConfig.from(ConfigSource.of(Map.of("search.reply.topics.allowed", allowed)));
    }
}
