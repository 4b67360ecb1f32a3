package io.clipstream.index;

/** Where an item lives: a run and a slot in it. */
record SlotRef(VectorRun run, int slot) {
}
