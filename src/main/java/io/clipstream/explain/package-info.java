/**
 * Why an image matched: a heat map of the query's similarity over the image's patch grid, rendered over the
 * image. Uses encoders and search; http serves it.
 */
package io.clipstream.explain;
