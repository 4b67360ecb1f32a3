package io.clipstream.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding of the record.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** Writes the 5-byte header into the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /** The schema id in a record's header, after checking that the record is in the wire format. */
    public static int schemaId(String topic, byte[] record) {
        if (record[0] != MAGIC_BYTE) {
            throw new SerializationException("record on topic " + topic + " is not in the Confluent wire format: first byte is "
                    + String.format("0x%02X", record[0] & 0xFF)
                    + ", expected 0x00; was it produced with a Confluent-compatible Avro serializer?");
        }
        if (record.length < HEADER_SIZE) {
            throw new SerializationException("record on topic " + topic + " is " + record.length
                    + " bytes long, too short for the Confluent wire format (a 5-byte header: magic byte 0 and a 4-byte"
                    + " schema id); was it produced with a Confluent-compatible Avro serializer?");
        }
        return ((record[1] & 0xFF) << 24) | ((record[2] & 0xFF) << 16) | ((record[3] & 0xFF) << 8) | (record[4] & 0xFF);
    }

    /** The subject a topic's keys or values are registered under (Confluent's TopicNameStrategy). */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
