package io.clipstream.tools.bench;

/** Which tower a figure is about; the label is what tables and JSON print. */
public enum Modality {
    TEXT("text"),
    IMAGE("image");

    private final String label;

    Modality(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
