package io.clipstream.architecture.cyclefixture.b;

import io.clipstream.architecture.cyclefixture.a.Left;

/** The other half of the deliberate package cycle of {@link Left}. */
public final class Right {
    public Left left() {
        return new Left();
    }
}
