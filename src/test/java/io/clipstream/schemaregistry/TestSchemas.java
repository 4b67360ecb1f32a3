package io.clipstream.schemaregistry;

import org.apache.avro.Schema;

/** Small record schemas for registry tests, each a step in one evolution story. */
final class TestSchemas {

    private TestSchemas() {
    }

    /** Version 1: one required field. */
    static final Schema USER_V1 = parse("""
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"string"}]}""");

    /** Adds an optional field with a default: BACKWARD and FORWARD compatible with v1. */
    static final Schema USER_V2_OPTIONAL_FIELD = parse("""
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"string"},
              {"name":"email","type":["null","string"],"default":null}]}""");

    /** Adds a required field without a default: a reader on it cannot read v1 data (not BACKWARD). */
    static final Schema USER_V2_REQUIRED_FIELD = parse("""
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"string"},
              {"name":"age","type":"int"}]}""");

    /** Changes the type of id: incompatible both ways. */
    static final Schema USER_ID_AS_INT = parse("""
            {"type":"record","name":"User","namespace":"test","fields":[
              {"name":"id","type":"int"}]}""");

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
