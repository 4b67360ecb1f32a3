package io.clipstream.architecture.cyclefixture.a;

import io.clipstream.architecture.cyclefixture.b.Right;

/** Half of a deliberate package cycle, so that ArchitectureTest can show its rule catches one. */
public final class Left {
    public Right right() {
        return new Right();
    }
}
