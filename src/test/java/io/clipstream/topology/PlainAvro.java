package io.clipstream.topology;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Avro binary without a registry, for topology tests that are not about the wire format. */
final class PlainAvro {

    private PlainAvro() {
    }

    static <T extends SpecificRecord> Serializer<T> serializer(Class<T> type) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new SerializationException(e);
            }
            return out.toByteArray();
        };
    }

    static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
                T value = reader.read(null, decoder);
                if (!decoder.isEnd()) {
                    throw new SerializationException("trailing bytes after the record");
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        };
    }
}
