package io.clipstream.store;

import io.clipstream.schema.VectorRecord;
import io.clipstream.index.IndexedVector;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A value of the index's vector tables: the record's bytes exactly as they sit on the vector topic, and, for a value on
 * its way in from the topic, the vector decoded from them. The table stores the bytes as they came
 * ({@link WireVectorSerializer}) and the store takes the decoded vector with them ({@link io.clipstream.store.DecodedHandoff}),
 * so a vector is decoded once between the topic and the index. A value read back from the store (item lookups, and the
 * old value Kafka Streams reads on every update) decodes nothing until {@link #record()} is asked for.
 */
public final class VectorValue {

    private final byte[] wire;
    private final IndexedVector checked;
    private final Function<byte[], VectorRecord> records;

    private VectorValue(byte[] wire, IndexedVector checked, Function<byte[], VectorRecord> records) {
        this.wire = Objects.requireNonNull(wire, "wire");
        this.checked = checked;
        this.records = Objects.requireNonNull(records, "records");
    }

    /** A value from the topic, decoded to {@code checked} and found servable by the index's checks. */
    public static VectorValue checked(byte[] wire, IndexedVector checked, Function<byte[], VectorRecord> records) {
        return new VectorValue(wire, Objects.requireNonNull(checked, "checked"), records);
    }

    /** A value read back from the store: checked when it was written, decoded by {@code records} when asked. */
    public static VectorValue stored(byte[] wire, Function<byte[], VectorRecord> records) {
        return new VectorValue(wire, null, records);
    }

    /** The serialised record, as on the topic; not a copy, so not to be changed. */
    public byte[] wire() {
        return wire;
    }

    /** The whole record, decoded now (every call decodes again). */
    public VectorRecord record() {
        return records.apply(wire);
    }

    /** The vector the index's checks accepted, for a value from the topic; null for one read back from the store. */
    public IndexedVector checked() {
        return checked;
    }

    /** Values are equal when their bytes are: the bytes are the record. */
    @Override
    public boolean equals(Object other) {
        return other instanceof VectorValue value && Arrays.equals(wire, value.wire);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(wire);
    }

    @Override
    public String toString() {
        return "VectorValue[" + wire.length + " bytes" + (checked == null ? "" : ", id " + checked.id()) + "]";
    }
}
