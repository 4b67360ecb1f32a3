package io.clipstream.store;

import io.clipstream.index.IndexedVector;
import io.clipstream.schema.VectorRecord;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Vector records as plain Avro binary, without a schema registry or wire-format header: what the store's tests put on
 * topics in place of the production Confluent-format serde.
 */
final class PlainAvroVectorSerde implements Serde<VectorRecord> {

    static byte[] encode(VectorRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(VectorRecord.class).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot encode vector record " + record.getId(), e);
        }
    }

    /** @throws IOException or AvroRuntimeException when the bytes are not a vector record */
    static VectorRecord decode(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        return new SpecificDatumReader<>(VectorRecord.class).read(null, decoder);
    }

    @Override
    public Serializer<VectorRecord> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<VectorRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decode(bytes);
            } catch (IOException | AvroRuntimeException e) {
                throw new SerializationException("cannot decode vector record on " + topic, e);
            }
        };
    }

    /** The tests' decoder: plain Avro binary to {@link IndexedVector}, undecodable bytes rejected. */
    static VectorDecoder decoder() {
        return value -> {
            try {
                return IndexedVector.from(decode(value));
            } catch (IOException | AvroRuntimeException e) {
                throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE,
                        "value of " + value.length + " bytes is not a plain-Avro VectorRecord: " + e.getMessage(), e);
            }
        };
    }
}
