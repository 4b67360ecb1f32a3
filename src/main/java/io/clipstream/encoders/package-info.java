/**
 * The CLIP-style dual encoder: loading the model's ONNX towers and files (ModelLoader, OnnxSessionFactory), the
 * device choice, and turning prepared images and tokenized texts into normalised vectors (ImageEncoder,
 * TextEncoder, ClipModel). First stage of the flow after the topic: topic -> encoders -> store -> search -> http.
 * Uses encoders.image and encoders.text, which never import it back.
 */
package io.clipstream.encoders;
