package io.clipstream.encoders;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceRequestTest {

    @Test
    void parsesEveryForm() {
        assertEquals(DeviceRequest.CPU, DeviceRequest.parse("cpu"));
        assertEquals(new DeviceRequest(DeviceRequest.Kind.CUDA, 0), DeviceRequest.parse("CUDA"));
        assertEquals(new DeviceRequest(DeviceRequest.Kind.CUDA, 3), DeviceRequest.parse("cuda:3"));
        assertEquals(new DeviceRequest(DeviceRequest.Kind.AUTO, 0), DeviceRequest.parse(" auto "));
        assertEquals("cuda:3", DeviceRequest.parse("cuda:3").toString());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DeviceRequest.parse("cuda:x"));
        assertThrows(IllegalArgumentException.class, () -> DeviceRequest.parse("cuda:-1"));
        assertThrows(IllegalArgumentException.class, () -> DeviceRequest.parse("metal"));
    }
}
